"""The classification every complaint carries, after the 12315 system: its nature, the class of
goods or service it is about, and (for routing) the unit responsible for it.

Codes are stable identifiers (stored in the database and in training files); names are shown.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Nature(models.TextChoices):
    QUALITY = "quality", _("Quality")
    AFTER_SALES = "after_sales", _("After-sales service")
    PRICE = "price", _("Price")
    FALSE_ADVERTISING = "false_advertising", _("False advertising")
    SAFETY = "safety", _("Safety")
    CONTRACT = "contract", _("Contract")
    COUNTERFEIT = "counterfeit", _("Counterfeit")
    METROLOGY = "metrology", _("Weights and measures")
    PERSONAL_RIGHTS = "personal_rights", _("Personal rights")
    OTHER = "other", _("Other")


class Category(models.TextChoices):
    # Goods
    FOOD = "food", _("Food")
    HOUSEHOLD_APPLIANCES = "household_appliances", _("Household appliances")
    CLOTHING_SHOES = "clothing_shoes", _("Clothing and shoes")
    DAILY_GOODS = "daily_goods", _("Daily goods and cosmetics")
    VEHICLES = "vehicles", _("Vehicles and parts")
    DIGITAL_DEVICES = "digital_devices", _("Phones, computers and digital devices")
    HOUSING_MATERIALS = "housing_materials", _("Housing and building materials")
    MEDICINE_DEVICES = "medicine_devices", _("Medicines and medical devices")
    AGRI_INPUTS = "agri_inputs", _("Seeds, fertiliser, pesticides and veterinary drugs")
    SPECIAL_EQUIPMENT = "special_equipment", _("Elevators and special equipment")
    # Services
    CATERING_LODGING = "catering_lodging", _("Catering and lodging")
    EDUCATION_TRAINING = "education_training", _("Education and training")
    TOURISM = "tourism", _("Tourism")
    MEDICAL_SERVICES = "medical_services", _("Medical and health services")
    TRANSPORT_SERVICES = "transport_services", _("Transport services")
    FINANCIAL_SERVICES = "financial_services", _("Financial services")
    PROPERTY_DECORATION = "property_decoration", _("Home decoration and property management")
    INTERNET_SERVICES = "internet_services", _("Online shopping and internet services")
    LIFE_SERVICES = "life_services", _("Beauty, fitness and other personal services")
    PUBLIC_UTILITIES = "public_utilities", _("Water, gas and public utilities")
    CULTURE_ENTERTAINMENT = "culture_entertainment", _("Culture, entertainment and sport")


# The units a complaint can be routed to in the demo city, by Unit.code, with what each takes.
# A city that trains its own router uses its own unit codes; these only describe the demo data.
ROUTING_UNITS = {
    "amr": "市场监管局: goods quality, food safety, prices, advertising, counterfeits, "
    "weights and measures, elevators and special equipment, online shops, most consumer services",
    "construction": "建设局: quality of new housing and public works, property management companies",
    "culture_tourism": "文旅局: travel agencies, tour guides, scenic spots, performances, "
    "internet cafés and entertainment venues",
    "health": "卫健委: hospitals, clinics, medical beauty procedures, medical conduct",
    "transport": "交通运输局: taxis, ride-hailing, buses, coaches, driving schools, vehicle repair",
    "education": "教育局: schools, kindergartens, after-school training institutions",
    "finance": "地方金融监管局: small-loan companies, financing guarantees, pawnshops",
    "agriculture": "农业农村局: seeds, fertilisers, pesticides, veterinary drugs, farm machinery",
    "commerce": "商务局: prepaid cards of retail and catering businesses, second-hand car "
    "markets, recycling",
    "municipal_gardens": "市政园林局: piped gas, water supply, parks and public facilities",
}
