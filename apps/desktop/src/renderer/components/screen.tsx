/**
 * The frame of every screen: its heading gets focus when the screen opens (so keyboard and screen
 * reader users land on the new content), then an optional introduction and the content.
 */
import { useEffect, useRef, type ReactNode } from 'react';

/** A screen with a focused `<h1>`. */
export function Screen({ title, intro, children }: { title: string; intro?: ReactNode; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  return (
    <section className="screen" aria-labelledby="screen-title">
      <h1 id="screen-title" ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {intro !== undefined && <p className="intro">{intro}</p>}
      {children}
    </section>
  );
}

/** A titled card inside a screen. */
export function Card({ title, id, children, actions }: { title: string; id: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <div className="card-header">
        <h2 id={`${id}-title`}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}
