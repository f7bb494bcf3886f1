"""Shared set-up for the offer side's tests: organisations that take part in a project."""

from __future__ import annotations

import pytest

from vagval.catalogue.tests.factories import OfferFactory, ProviderContactFactory, ProviderFactory
from vagval.organisations.models import Project


def take_part(project: Project, *units) -> None:
    """Make the units' organisations take part in the project (they may then maintain the catalogue)."""
    project.organisations.add(*(unit.organisation for unit in units))


@pytest.fixture
def catalogue_world(project, ludvika_unit, smedjebacken_unit, af_unit):
    """Ludvika, Smedjebacken and Arbetsförmedlingen take part in the project; Ludvika owns a
    provider with a supervisor and an open offer."""
    take_part(project, ludvika_unit, smedjebacken_unit, af_unit)
    provider = ProviderFactory(name="Ludvika Verkstad AB", owner=ludvika_unit.organisation, sni_section="C")
    supervisor = ProviderContactFactory(provider=provider, name="Greta Handledare")
    offer = OfferFactory(title="Praktik i verkstad", provider=provider, supervisor=supervisor, capacity=2)
    return {"provider": provider, "supervisor": supervisor, "offer": offer}
