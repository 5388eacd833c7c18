import type { ModelManifest } from '../api/sidecarTypes';
import { formatNumber } from '../format/formatNumber';

export interface ManifestFact {
  label: string;
  value: string;
}

export interface ManifestDescription {
  model: ManifestFact[];
  calibration: ManifestFact[];
  provenance: ManifestFact[];
}

/**
 * The facts of a model manifest an operator checks before trusting a model: what it reads, how
 * raw error becomes a score and where the threshold sits, and what it was trained on, when and
 * from which code. Missing entries are left out rather than shown as blanks.
 */
export function describeManifest(manifest: ModelManifest): ManifestDescription {
  const facts = (entries: Array<[string, string | undefined]>): ManifestFact[] =>
    entries
      .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
      .map(([label, value]) => ({ label, value }));

  const window = manifest.window;
  const calibration = manifest.calibration;
  const training = manifest.training;
  const rule = calibration?.threshold_rule;
  const dataSource = training?.data_source;

  return {
    model: facts([
      ['Model id', manifest.model_id],
      ['Kind', manifest.kind],
      [
        'Window',
        window?.length !== undefined
          ? `${window.length} steps${window.step_seconds !== undefined ? ` of ${window.step_seconds} s` : ''}`
          : undefined,
      ],
      ['Signals', manifest.signals?.map((s) => s.name).join(', ')],
      ['Normalisation', manifest.normalisation?.method],
      ['Error', manifest.error?.reduction],
      ['ONNX SHA-256', manifest.onnx?.sha256],
    ]),
    calibration: facts([
      ['Calibrated on', calibration?.source],
      ['Calibration windows', calibration?.windows !== undefined ? String(calibration.windows) : undefined],
      ['Score levels', calibration?.levels ? String(calibration.levels.length) : undefined],
      [
        'Threshold (raw error)',
        calibration?.threshold !== undefined ? formatNumber(calibration.threshold, 4) : undefined,
      ],
      [
        'Threshold (score)',
        calibration?.threshold_score !== undefined ? formatNumber(calibration.threshold_score, 3) : undefined,
      ],
      [
        'Threshold rule',
        rule?.formula ? `${rule.formula} (quantile ${rule.quantile}, margin ${rule.margin})` : undefined,
      ],
    ]),
    provenance: facts([
      [
        'Data source',
        dataSource?.type ? `${dataSource.type}${dataSource.note ? `: ${dataSource.note}` : ''}` : undefined,
      ],
      ['Entities', training?.entities?.join(', ')],
      [
        'Training period',
        training?.time_range?.start && training.time_range.end
          ? `${training.time_range.start} to ${training.time_range.end}`
          : undefined,
      ],
      [
        'Windows (fit / validation / calibration)',
        training?.windows
          ? `${training.windows.fit ?? '?'} / ${training.windows.validation ?? '?'} / ${training.windows.calibration ?? '?'}`
          : undefined,
      ],
      [
        'Epochs (run / best)',
        training?.epochs ? `${training.epochs.run ?? '?'} / ${training.epochs.best ?? '?'}` : undefined,
      ],
      ['Trained', training?.created],
      ['Code revision', training?.git_commit],
      ['Base model', training?.base_model ?? undefined],
      [
        'Tool versions',
        training?.versions
          ? Object.entries(training.versions)
              .map(([name, version]) => `${name} ${version}`)
              .join(', ')
          : undefined,
      ],
    ]),
  };
}
