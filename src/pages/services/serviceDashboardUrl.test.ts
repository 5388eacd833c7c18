import { serviceDashboardUrl } from './serviceDashboardUrl';

describe('serviceDashboardUrl', () => {
  it('links the provisioned service dashboard with its variables, escaped', () => {
    expect(serviceDashboardUrl('cart service', 'shop')).toBe(
      '/d/seismo-service?var-namespace=shop&var-service=cart+service'
    );
    expect(serviceDashboardUrl('cart')).toBe('/d/seismo-service?var-service=cart');
  });
});
