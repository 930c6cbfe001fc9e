"""Base classes of every scenario model: frozen, strict about unknown keys, optionally sourced."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Item", "Section"]


class Section(BaseModel):
    """A frozen scenario section; unknown keys are errors (a typo must not pass silently)."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)


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
