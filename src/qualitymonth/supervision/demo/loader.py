"""The supervision demo (invented subjects, labelled as examples): each topic loads its part,
in this order, because later parts use what earlier ones made — subjects, inspectors and check
items; a yearly plan with two draws; inspections of the drawn; the hazards they found; a
product spot check; enforcement cases, their publicity and the typical cases."""

from importlib import import_module

PARTS = ("directories", "draws", "inspections", "hazards", "spotchecks", "cases")


def load(campaign) -> None:
    for part in PARTS:
        import_module(f"qualitymonth.supervision.demo.{part}").load(campaign)
