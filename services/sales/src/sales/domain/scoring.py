"""Lead scoring (S-2): weighted attributes, each rated 1-5, explained per attribute.

The score is ``sum(weight% x rating) / 5``, so it runs from 20 (every attribute
rated 1) to 100 (every attribute rated 5). Weights are percentages summing to 100.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

MIN_RATING = 1
MAX_RATING = 5


class ScoredAttribute(StrEnum):
    INDUSTRY = "industry"
    COMPANY_SIZE = "company_size"
    VISIT_FREQUENCY = "visit_frequency"
    EXPRESSED_INTEREST = "expressed_interest"


Rating = int


class ScoringConfig(BaseModel):
    """Admin-editable weights and rating tables; the defaults are those of S-2."""

    model_config = ConfigDict(extra="forbid")

    weights: dict[ScoredAttribute, int] = Field(
        default_factory=lambda: {
            ScoredAttribute.INDUSTRY: 20,
            ScoredAttribute.COMPANY_SIZE: 15,
            ScoredAttribute.VISIT_FREQUENCY: 25,
            ScoredAttribute.EXPRESSED_INTEREST: 40,
        }
    )
    industry_ratings: dict[str, Rating] = Field(
        default_factory=lambda: {
            "technology": 5,
            "finance": 5,
            "manufacturing": 4,
            "healthcare": 4,
            "retail": 3,
            "education": 3,
        }
    )
    unknown_industry_rating: Rating = Field(default=2, ge=MIN_RATING, le=MAX_RATING)
    company_size_ratings: dict[str, Rating] = Field(
        default_factory=lambda: {
            "1-10": 1,
            "11-50": 2,
            "51-200": 3,
            "201-1000": 4,
            "1000+": 5,
        }
    )
    # Visits needed for ratings 2, 3, 4 and 5 (fewer than the first: rating 1).
    visit_thresholds: list[int] = Field(default_factory=lambda: [1, 3, 6, 10])

    @model_validator(mode="after")
    def _valid(self) -> ScoringConfig:
        if set(self.weights) != set(ScoredAttribute):
            raise ValueError("weights must name every attribute: " + ", ".join(ScoredAttribute))
        if any(weight < 0 for weight in self.weights.values()):
            raise ValueError("weights must not be negative")
        if sum(self.weights.values()) != 100:
            raise ValueError("weights must add up to 100")
        ratings = [*self.industry_ratings.values(), *self.company_size_ratings.values()]
        if any(not MIN_RATING <= rating <= MAX_RATING for rating in ratings):
            raise ValueError("ratings must be between 1 and 5")
        if len(self.visit_thresholds) != MAX_RATING - 1 or self.visit_thresholds != sorted(
            self.visit_thresholds
        ):
            raise ValueError("visit_thresholds must be 4 ascending visit counts")
        return self


class ScoreInputs(BaseModel):
    industry: str | None = None
    company_size: str | None = None
    visits: int = 0
    interest_level: int | None = None


class AttributeScore(BaseModel):
    attribute: ScoredAttribute
    value: str | None
    rating: Rating
    weight: int
    points: Decimal


class LeadScore(BaseModel):
    score: int
    breakdown: list[AttributeScore]


@dataclass(frozen=True)
class _Rated:
    value: str | None
    rating: Rating


def _rate_industry(config: ScoringConfig, industry: str | None) -> _Rated:
    if not industry:
        return _Rated(None, MIN_RATING)
    key = industry.strip().lower()
    return _Rated(industry, config.industry_ratings.get(key, config.unknown_industry_rating))


def _rate_company_size(config: ScoringConfig, size: str | None) -> _Rated:
    if not size:
        return _Rated(None, MIN_RATING)
    return _Rated(size, config.company_size_ratings.get(size.strip(), MIN_RATING))


def _rate_visits(config: ScoringConfig, visits: int) -> _Rated:
    rating = MIN_RATING + sum(1 for threshold in config.visit_thresholds if visits >= threshold)
    return _Rated(str(visits), rating)


def _rate_interest(level: int | None) -> _Rated:
    if level is None:
        return _Rated(None, MIN_RATING)
    return _Rated(str(level), max(MIN_RATING, min(MAX_RATING, level)))


def score_lead(config: ScoringConfig, inputs: ScoreInputs) -> LeadScore:
    """The lead's score with the part each attribute contributed."""
    rated = {
        ScoredAttribute.INDUSTRY: _rate_industry(config, inputs.industry),
        ScoredAttribute.COMPANY_SIZE: _rate_company_size(config, inputs.company_size),
        ScoredAttribute.VISIT_FREQUENCY: _rate_visits(config, inputs.visits),
        ScoredAttribute.EXPRESSED_INTEREST: _rate_interest(inputs.interest_level),
    }
    breakdown = []
    for attribute, result in rated.items():
        weight = config.weights[attribute]
        points = (Decimal(weight) * result.rating / MAX_RATING).quantize(Decimal("0.01"))
        breakdown.append(
            AttributeScore(
                attribute=attribute,
                value=result.value,
                rating=result.rating,
                weight=weight,
                points=points,
            )
        )
    total = sum((item.points for item in breakdown), Decimal(0))
    score = int(total.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return LeadScore(score=score, breakdown=breakdown)
