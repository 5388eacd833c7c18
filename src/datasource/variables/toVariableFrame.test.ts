import { createDataFrame, FieldType } from '@grafana/data';

import { toVariableFrame } from './toVariableFrame';

const services = createDataFrame({
  name: 'services',
  fields: [{ name: 'service', type: FieldType.string, values: ['payment', 'cart', 'cart'] }],
});
const edges = createDataFrame({
  name: 'edges',
  fields: [
    { name: 'client', type: FieldType.string, values: ['frontend', 'frontend', 'cart'] },
    { name: 'server', type: FieldType.string, values: ['cart', 'payment', 'redis'] },
    { name: 'edge', type: FieldType.string, values: ['frontend->cart', 'frontend->payment', 'cart->redis'] },
  ],
});

const column = (frame: ReturnType<typeof toVariableFrame>, name: string) =>
  frame.fields.find((f) => f.name === name)?.values;

describe('toVariableFrame', () => {
  it('lists services once each, sorted', () => {
    const frame = toVariableFrame([services], { refId: 'V', scope: 'service' });
    expect(column(frame, 'text')).toEqual(['cart', 'payment']);
    expect(column(frame, 'value')).toEqual(['cart', 'payment']);
  });

  it('names edges client->server, shown with an arrow', () => {
    const frame = toVariableFrame([edges], { refId: 'V', scope: 'edge' });
    expect(column(frame, 'value')).toEqual(['cart->redis', 'frontend->cart', 'frontend->payment']);
    expect(column(frame, 'text')).toEqual(['cart → redis', 'frontend → cart', 'frontend → payment']);
  });

  it('lists one end of the edges', () => {
    expect(column(toVariableFrame([edges], { refId: 'V', scope: 'edge', edgeField: 'client' }), 'value')).toEqual([
      'cart',
      'frontend',
    ]);
    expect(column(toVariableFrame([edges], { refId: 'V', scope: 'edge', edgeField: 'server' }), 'value')).toEqual([
      'cart',
      'payment',
      'redis',
    ]);
  });

  it('answers no options when the backend sent no table', () => {
    expect(column(toVariableFrame([], { refId: 'V', scope: 'service' }), 'value')).toEqual([]);
  });
});
