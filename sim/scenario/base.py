"""Base classes of every scenario model: frozen, strict about unknown keys, optionally sourced.

Every number must be finite, and every numeric field is checked against its physical bound
(:mod:`sim.scenario.bounds`, by what the field's name says it measures).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sim.scenario.bounds import EXEMPT_MODULES, check_value

__all__ = ["Item", "Section"]


class Section(BaseModel):
    """A frozen scenario section; unknown keys are errors (a typo must not pass silently)."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", validate_default=True, allow_inf_nan=False
    )

    @model_validator(mode="after")
    def _within_bounds(self) -> Section:
        cls = type(self)
        if cls.__module__ in EXEMPT_MODULES or cls.__name__ == "Distribution":
            return self
        problems = [
            p
            for name in cls.model_fields
            if (p := check_value(name, getattr(self, name))) is not None
        ]
        if problems:
            raise ValueError("; ".join(problems))
        return self


class Item(Section):
    """An entry of a list (a cohort, an enterprise, a site): named, with an optional source.

    ``source`` covers every plain number of the entry (an entry-level citation); a number written
    as ``{value, unit, source}`` carries its own.
    """

    name: str = Field(
        min_length=1, description="Unique name within its list; --set can address it."
    )
    source: str | None = Field(
        None, description="Where this entry's numbers come from, or 'assumed: <reason>'."
    )
