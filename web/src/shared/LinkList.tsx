/**
 * Links a person gave (evidence), read-only: each opens in a new tab, without the referrer, and
 * tells search engines not to follow it. Nothing when there are none.
 */
export function LinkList({ links, label }: { links: readonly string[] | undefined; label?: (index: number, link: string) => string }) {
  if (!links || links.length === 0) return null;
  return (
    <ul className="plain-list">
      {links.map((link, i) => (
        <li key={`${i}-${link}`}>
          <a href={link} target="_blank" rel="noopener noreferrer nofollow">{label ? label(i, link) : link}</a>
        </li>
      ))}
    </ul>
  );
}
