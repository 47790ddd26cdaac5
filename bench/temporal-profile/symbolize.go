// Reads `perf script -F time,ip,sym` of a Go binary (the Temporal CLI's dev server, stripped of
// its symbol table) and names each frame from the binary's .gopclntab, which stripping keeps.
// Samples are counted by stack within the time windows given on the command line (windows of one
// label add up); prints JSON {label: {"root;...;leaf": count}}.
//
//	perf script -i perf.data -F time,ip,sym | symbolize BINARY label=from,to [label=from,to ...]
package main

import (
	"bufio"
	"debug/elf"
	"debug/gosym"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
)

type window struct {
	label    string
	from, to float64
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: symbolize BINARY label=from,to ...")
		os.Exit(2)
	}
	names, base := functionNames(os.Args[1])
	var windows []window
	for _, arg := range os.Args[2:] {
		label, span, _ := strings.Cut(arg, "=")
		from, to, _ := strings.Cut(span, ",")
		f, err1 := strconv.ParseFloat(from, 64)
		t, err2 := strconv.ParseFloat(to, 64)
		if err1 != nil || err2 != nil {
			fmt.Fprintf(os.Stderr, "bad window %q\n", arg)
			os.Exit(2)
		}
		windows = append(windows, window{label, f, t})
	}
	counts := map[string]map[string]int{}
	for _, w := range windows {
		counts[w.label] = map[string]int{}
	}
	var at float64
	var stack []string
	flush := func() {
		defer func() { stack = stack[:0] }()
		if len(stack) == 0 {
			return
		}
		for _, w := range windows {
			if at >= w.from && at < w.to {
				folded := make([]string, len(stack))
				for i, frame := range stack {
					folded[len(stack)-1-i] = frame // perf lists the leaf first
				}
				counts[w.label][strings.Join(folded, ";")]++
			}
		}
	}
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	for in.Scan() {
		line := in.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			flush()
		case !strings.HasPrefix(line, "\t") && strings.HasSuffix(trimmed, ":"):
			flush()
			at, _ = strconv.ParseFloat(strings.TrimSuffix(trimmed, ":"), 64)
		default:
			fields := strings.Fields(trimmed)
			pc, err := strconv.ParseUint(fields[0], 16, 64)
			if err != nil {
				continue
			}
			if pc >= 0xffff000000000000 && len(fields) > 1 {
				stack = append(stack, "[kernel] "+fields[1])
			} else if name := names(pc + base); name != "" {
				stack = append(stack, name)
			}
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "reading perf script:", err)
		os.Exit(1)
	}
	flush()
	if err := json.NewEncoder(os.Stdout).Encode(counts); err != nil {
		panic(err)
	}
}

// functionNames returns a lookup from address to Go function name, and the address of the
// binary's first loaded byte: perf gives the frames of an unsymbolized binary relative to it.
func functionNames(binary string) (func(uint64) string, uint64) {
	f, err := elf.Open(binary)
	if err != nil {
		panic(err)
	}
	pclntab, err := f.Section(".gopclntab").Data()
	if err != nil {
		panic(err)
	}
	table, err := gosym.NewTable(nil, gosym.NewLineTable(pclntab, f.Section(".text").Addr))
	if err != nil {
		panic(err)
	}
	var base uint64
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD && p.Off == 0 {
			base = p.Vaddr
		}
	}
	return func(pc uint64) string {
		if fn := table.PCToFunc(pc); fn != nil {
			return fn.Name
		}
		return ""
	}, base
}
