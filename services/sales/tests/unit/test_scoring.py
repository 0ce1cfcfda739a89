from __future__ import annotations

import pytest
from pydantic import ValidationError

from sales.domain.scoring import ScoredAttribute, ScoreInputs, ScoringConfig, score_lead


def test_default_weights_are_those_of_the_specification() -> None:
    assert ScoringConfig().weights == {
        ScoredAttribute.INDUSTRY: 20,
        ScoredAttribute.COMPANY_SIZE: 15,
        ScoredAttribute.VISIT_FREQUENCY: 25,
        ScoredAttribute.EXPRESSED_INTEREST: 40,
    }


def test_score_is_weighted_sum_of_ratings_and_explains_each_attribute() -> None:
    inputs = ScoreInputs(industry="Finance", company_size="51-200", visits=6, interest_level=2)
    result = score_lead(ScoringConfig(), inputs)
    explained = {item.attribute: (item.rating, str(item.points)) for item in result.breakdown}
    assert explained == {
        ScoredAttribute.INDUSTRY: (5, "20.00"),
        ScoredAttribute.COMPANY_SIZE: (3, "9.00"),
        ScoredAttribute.VISIT_FREQUENCY: (4, "20.00"),
        ScoredAttribute.EXPRESSED_INTEREST: (2, "16.00"),
    }
    assert result.score == 65


def test_lead_with_nothing_known_scores_the_minimum_and_top_lead_scores_100() -> None:
    assert score_lead(ScoringConfig(), ScoreInputs()).score == 20
    best = ScoreInputs(industry="technology", company_size="1000+", visits=50, interest_level=5)
    assert score_lead(ScoringConfig(), best).score == 100


def test_changed_weights_change_the_score() -> None:
    inputs = ScoreInputs(industry="technology", interest_level=1)
    config = ScoringConfig(
        weights={
            ScoredAttribute.INDUSTRY: 70,
            ScoredAttribute.COMPANY_SIZE: 10,
            ScoredAttribute.VISIT_FREQUENCY: 10,
            ScoredAttribute.EXPRESSED_INTEREST: 10,
        }
    )
    assert score_lead(config, inputs).score > score_lead(ScoringConfig(), inputs).score


@pytest.mark.parametrize(
    "weights",
    [
        {"industry": 50, "company_size": 15, "visit_frequency": 25, "expressed_interest": 40},
        {"industry": 60, "company_size": 15, "visit_frequency": 25},
    ],
)
def test_weights_must_cover_every_attribute_and_add_up_to_100(weights: dict[str, int]) -> None:
    with pytest.raises(ValidationError):
        ScoringConfig.model_validate({"weights": weights})
