/** A cameo's reference still (the first one: the picture an image-to-video backend starts from), fetched once per mount. */
import { useEffect, useState } from 'react';
import { cameoMedia } from '../../actions/cameos';

export function CameoStill({ id, name }: { id: string; name: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void cameoMedia(id, 'still', 0).then((u) => live && setUrl(u));
    return () => {
      live = false;
    };
  }, [id]);
  return url ? (
    <img className="cameo-still" src={url} alt={`${name}: reference still`} draggable={false} data-testid="reference-cameo-still" />
  ) : (
    <span className="cameo-still cameo-poster--empty" aria-hidden="true">
      {name.slice(0, 1).toUpperCase()}
    </span>
  );
}
