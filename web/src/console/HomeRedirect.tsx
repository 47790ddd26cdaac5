import { Navigate } from '@tanstack/react-router';
import { useMe } from '../api/queries';
import { Loading } from '../shared/States';

/** `/console`: the department's inbox for department staff, the queue for everyone else. */
export function HomeRedirect() {
  const me = useMe();
  if (!me.data) return <Loading />;
  return me.data.role === 'department' ? <Navigate to="/inbox" replace /> : <Navigate to="/queue" search={{}} replace />;
}
