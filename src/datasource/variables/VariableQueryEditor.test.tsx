import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';

import type { SeismoDataSource } from '../SeismoDataSource';
import type { SeismoVariableQuery } from '../types';
import { VariableQueryEditor } from './VariableQueryEditor';

function renderEditor(query: SeismoVariableQuery) {
  const onChange = jest.fn();
  render(
    <VariableQueryEditor datasource={{} as SeismoDataSource} query={query} onChange={onChange} onRunQuery={jest.fn()} />
  );
  return onChange;
}

describe('VariableQueryEditor', () => {
  it('lists services by default and offers no edge column', () => {
    renderEditor({ refId: 'V', scope: 'service' });
    expect(screen.getByRole('radio', { name: 'Services' })).toBeChecked();
    expect(screen.queryByRole('radio', { name: 'Clients' })).toBeNull();
  });

  it('switches to call edges named client->server', () => {
    const onChange = renderEditor({ refId: 'V', scope: 'service' });
    fireEvent.click(screen.getByRole('radio', { name: 'Call edges' }));
    expect(onChange).toHaveBeenCalledWith({ refId: 'V', scope: 'edge', edgeField: 'edge' });
  });

  it('lists one end of the edges', () => {
    const onChange = renderEditor({ refId: 'V', scope: 'edge', edgeField: 'edge' });
    fireEvent.click(screen.getByRole('radio', { name: 'Servers' }));
    expect(onChange).toHaveBeenCalledWith({ refId: 'V', scope: 'edge', edgeField: 'server' });
  });

  it('drops the edge column when going back to services', () => {
    const onChange = renderEditor({ refId: 'V', scope: 'edge', edgeField: 'client' });
    fireEvent.click(screen.getByRole('radio', { name: 'Services' }));
    expect(onChange).toHaveBeenCalledWith({ refId: 'V', scope: 'service', edgeField: undefined });
  });
});
