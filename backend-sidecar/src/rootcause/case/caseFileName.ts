/**
 * File name of a service's metrics file. Service names may contain characters a file system
 * rejects or misreads ("/", ":"), so they are percent-encoded; plain names stay readable.
 */
export function caseFileName(service: string): string {
  return `${encodeURIComponent(service)}.csv`;
}
