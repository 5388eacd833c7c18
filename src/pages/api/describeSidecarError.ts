import { SidecarRequestError } from './SidecarRequestError';

export interface ErrorDescription {
  title: string;
  /** What went wrong, as specific as the answer allowed. */
  message: string;
  /** What the user does about it. */
  fix: string;
  /** Where the fix is made: the datasource settings or the app configuration. */
  fixAt?: 'datasource' | 'app';
}

const SIDECAR_NOT_CONFIGURED = /sidecar\s*url|sidecarurl|no sidecar|sidecar is not configured/i;
const TOKEN_PROBLEM = /token|unauthori[sz]ed|forbidden/i;

/**
 * Says what a failed sidecar request means for the user and how to fix it. The status comes from
 * the datasource's resource handler (502 unreachable, 504 timeout, the sidecar's own status
 * passed through) or from Grafana itself (404 unknown datasource, 403 no permission).
 */
export function describeSidecarError(error: unknown): ErrorDescription {
  if (!(error instanceof SidecarRequestError)) {
    return {
      title: 'Unexpected error',
      message: error instanceof Error ? error.message : String(error),
      fix: 'Reload the page. If it happens again, report it with the message above.',
    };
  }
  const { status, message } = error;
  if (status === undefined) {
    return {
      title: 'Grafana did not answer',
      message,
      fix: 'Check the network connection to Grafana and reload the page.',
    };
  }
  if (SIDECAR_NOT_CONFIGURED.test(message)) {
    return {
      title: 'The datasource has no sidecar URL',
      message,
      fix: 'Enter the sidecar URL (for example http://seismo-sidecar:8080) and its token in the Seismo datasource settings, then press Save & test.',
      fixAt: 'datasource',
    };
  }
  switch (status) {
    case 401:
    case 403:
      return TOKEN_PROBLEM.test(message) && /sidecar/i.test(message)
        ? {
            title: 'The sidecar refused the datasource token',
            message,
            fix: "Set the datasource's sidecar token to the sidecar's API token (api.tokenFile or SEISMO_API_TOKEN), then press Save & test.",
            fixAt: 'datasource',
          }
        : {
            title: 'Access denied',
            message,
            fix: 'Ask a Grafana administrator for query permission on the Seismo datasource.',
          };
    case 404:
      if (/data ?source not found/i.test(message)) {
        return {
          title: 'The configured datasource does not exist',
          message,
          fix: 'Choose an existing Seismo datasource on the app configuration page.',
          fixAt: 'app',
        };
      }
      if (/unknown resource/i.test(message)) {
        return {
          title: 'The datasource does not offer this view',
          message,
          fix: 'The datasource backend is older than the app pages: update the Seismo app plugin and restart Grafana.',
        };
      }
      return { title: 'Not found', message, fix: 'It may have expired from the sidecar; go back to the list.' };
    case 500:
      return {
        title: 'The datasource failed',
        message,
        fix: 'Open the Seismo datasource settings and press Save & test: it names the setting or upstream at fault.',
        fixAt: 'datasource',
      };
    case 502:
      return {
        title: 'The Seismo sidecar is unreachable',
        message,
        fix: "Check that the sidecar is running and that the datasource's sidecar URL points to it; Save & test in the datasource settings checks the connection.",
        fixAt: 'datasource',
      };
    case 503:
      return {
        title: 'The Seismo sidecar is not ready',
        message,
        fix: 'The sidecar becomes ready after its first detection cycle. If this lasts, check its /readyz answer and its log (Prometheus unreachable, invalid config).',
      };
    case 504:
      return {
        title: 'The Seismo sidecar did not answer in time',
        message,
        fix: "Check the sidecar's load (seismo_cycle_duration_seconds) or raise the datasource timeout.",
        fixAt: 'datasource',
      };
    default:
      return {
        title: status >= 400 && status < 500 ? 'The request was refused' : 'The request failed',
        message,
        fix:
          status >= 400 && status < 500
            ? 'Correct the input named in the message and try again.'
            : 'Try again in a moment.',
      };
  }
}
