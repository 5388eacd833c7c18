import React from 'react';

interface Props {
  onError: (error: Error) => void;
  children: React.ReactNode;
}

/** Keeps one plugin's render failure from blanking the others, and reports it. */
export class ErrorBoundary extends React.Component<Props, { error?: Error }> {
  state: { error?: Error } = {};

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  componentDidCatch(error: Error) {
    this.props.onError(error);
  }

  render() {
    return this.state.error ? (
      <pre role="alert">{String(this.state.error.stack ?? this.state.error)}</pre>
    ) : (
      this.props.children
    );
  }
}
