module temporalprofile

go 1.22
