// refname.jsx: the name of a referenced record (fetched once, then kept),
// as a link to it when the user may open it.
import { useEffect, useState } from 'preact/hooks';
import { refLabel, refRecord } from '../refs.js';
import { Link } from '../router.js';

export function RefName({ plural, id, link = true }) {
  const [rec, setRec] = useState(undefined);
  useEffect(() => {
    let live = true;
    if (id) refRecord(plural, id).then((r) => live && setRec(r));
    return () => {
      live = false;
    };
  }, [plural, id]);
  if (!id) return <span class="muted">—</span>;
  const text = rec ? refLabel(plural, rec) : `#${id}`;
  return link && rec ? <Link href={`/${plural}/${id}`}>{text}</Link> : <span>{text}</span>;
}
