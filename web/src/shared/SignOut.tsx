import { useTranslation } from 'react-i18next';

/** Sign out: a form POST to /auth/logout carrying the session's CSRF token. */
export function SignOut({ csrfToken }: { csrfToken: string | undefined }) {
  const { t } = useTranslation();
  return (
    <form method="post" action="/auth/logout" className="sign-out">
      <input type="hidden" name="csrf" value={csrfToken ?? ''} />
      <button type="submit" className="button button-quiet">
        {t('app.signOut')}
      </button>
    </form>
  );
}
