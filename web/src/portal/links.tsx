import type { ComponentType } from 'react';
import { Link, useNavigate, type LinkComponentProps, type NavigateOptions } from '@tanstack/react-router';
import type { PortalRouter } from './router';

/** A link typed against the portal's routes. */
export function PortalLink<const TTo extends string | undefined = undefined>(props: LinkComponentProps<'a', PortalRouter, string, TTo>) {
  const Untyped = Link as unknown as ComponentType<object>;
  return <Untyped {...props} />;
}

export function usePortalNavigate() {
  const navigate = useNavigate();
  return <const TTo extends string | undefined>(options: NavigateOptions<PortalRouter, string, TTo>) => navigate(options as never);
}
