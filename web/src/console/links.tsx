import type { ComponentType } from 'react';
import { Link, useNavigate, type LinkComponentProps, type NavigateOptions } from '@tanstack/react-router';
import type { ConsoleRouter } from './router';

/** A link typed against the console's routes and their search params. */
export function ConsoleLink<const TTo extends string | undefined = undefined>(props: LinkComponentProps<'a', ConsoleRouter, string, TTo>) {
  const Untyped = Link as unknown as ComponentType<object>;
  return <Untyped {...props} />;
}

export function useConsoleNavigate() {
  const navigate = useNavigate();
  return <const TTo extends string | undefined>(options: NavigateOptions<ConsoleRouter, string, TTo>) => navigate(options as never);
}
