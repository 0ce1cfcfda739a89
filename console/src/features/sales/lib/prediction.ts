/**
 * The win prediction's two figures are on different scales (services/sales
 * domain/win_model.py): `probability` is the model's fraction of 1 ("0.2000" is
 * 20 %), `stage_probability` the stage's percent ("20" is 20 %). The page shows both
 * as ratios for the percent formatter and the dial as a whole percent.
 */

interface PredictionFigures {
  probability: string;
  stage_probability: string;
}

export interface PredictionShown {
  /** The predicted chance as a ratio (0.2 for 20 %). */
  ratio: number;
  /** The dial's percent, 0 to 100, whole. */
  dial: number;
  /** The stage's probability as a ratio. */
  stageRatio: number;
}

const finite = (value: number) => (Number.isFinite(value) ? value : 0);

export function predictionShown(prediction: PredictionFigures): PredictionShown {
  const ratio = Math.min(1, Math.max(0, finite(Number(prediction.probability))));
  return {
    ratio,
    dial: Math.round(ratio * 100),
    stageRatio: finite(Number(prediction.stage_probability)) / 100,
  };
}
