import type { ModelKind } from '../types.js';
import { EtsModel } from './EtsModel.js';
import type { ForecastModel } from './ForecastModel.js';
import { MstlModel } from './MstlModel.js';
import { ProphetModel } from './ProphetModel.js';
import { SeasonalNaiveModel } from './SeasonalNaiveModel.js';

/** Models hold no state, so one frozen instance per family serves every forecaster. */
const MODELS: Readonly<Record<ModelKind, ForecastModel>> = Object.freeze({
  naive: new SeasonalNaiveModel('naive'),
  'seasonal-naive': new SeasonalNaiveModel('seasonal-naive'),
  ets: new EtsModel(),
  mstl: new MstlModel(),
  prophet: new ProphetModel(),
});

export function modelFor(kind: ModelKind): ForecastModel {
  const model = MODELS[kind];
  if (model === undefined) {
    throw new RangeError(`unknown model kind "${String(kind)}" (known: ${Object.keys(MODELS).join(', ')})`);
  }
  return model;
}
