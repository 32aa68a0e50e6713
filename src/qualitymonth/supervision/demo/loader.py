"""The supervision demo (invented subjects, labelled as examples): each topic loads its part,
in this order, because later parts use what earlier ones made."""


def load(campaign) -> None:
    pass
