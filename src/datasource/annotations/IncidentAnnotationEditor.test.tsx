import React from 'react';
import { render, screen } from '@testing-library/react';

import { IncidentAnnotationEditor } from './IncidentAnnotationEditor';

describe('IncidentAnnotationEditor', () => {
  it('explains what the incident annotations carry and how to filter them', () => {
    render(
      <IncidentAnnotationEditor
        datasource={{}}
        query={{ refId: 'Anno', queryType: 'incidents', incidentView: 'annotations' }}
        onChange={jest.fn()}
        onRunQuery={jest.fn()}
      />
    );
    expect(screen.getByText('Seismo incidents')).toBeInTheDocument();
    expect(screen.getByText(/filter by tag/)).toBeInTheDocument();
  });
});
