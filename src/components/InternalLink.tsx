import React, { type ReactNode } from 'react';
import { css } from '@emotion/css';
import { type GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

/**
 * A link to another Grafana page. A plain anchor: Grafana intercepts clicks on internal links and
 * routes them without a reload, and an anchor needs no router context, so it renders the same in
 * Grafana, in tests and in the preview host.
 */
export function InternalLink({ href, children }: { href: string; children: ReactNode }) {
  const styles = useStyles2(getStyles);
  return (
    <a href={href} className={styles.link}>
      {children}
    </a>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  link: css({
    color: theme.colors.text.link,
    '&:hover': { textDecoration: 'underline' },
  }),
});
