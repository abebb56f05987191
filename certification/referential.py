"""The Pix referential (domain §2): 5 domains, 16 competences, levels 0–8, 8 pix per level."""

from django.conf import settings

PIX_PER_LEVEL = 8
MAX_LEVEL = 8

AREAS = [
    ("1", "Information et données"),
    ("2", "Communication et collaboration"),
    ("3", "Création de contenu"),
    ("4", "Protection et sécurité"),
    ("5", "Environnement numérique"),
]

COMPETENCES = [
    ("1.1", "Mener une recherche et une veille d'information"),
    ("1.2", "Gérer des données"),
    ("1.3", "Traiter des données"),
    ("2.1", "Interagir"),
    ("2.2", "Partager et publier"),
    ("2.3", "Collaborer"),
    ("2.4", "S'insérer dans le monde numérique"),
    ("3.1", "Développer des documents textuels"),
    ("3.2", "Développer des documents multimédia"),
    ("3.3", "Adapter les documents à leur finalité"),
    ("3.4", "Programmer"),
    ("4.1", "Sécuriser l'environnement numérique"),
    ("4.2", "Protéger les données personnelles et la vie privée"),
    ("4.3", "Protéger la santé, le bien-être et l'environnement"),
    ("5.1", "Résoudre des problèmes techniques"),
    ("5.2", "Évoluer dans un environnement numérique"),
]
COMPETENCE_CODES = [code for code, _ in COMPETENCES]

LEVEL_LABELS = {
    1: "Novice",
    2: "Novice",
    3: "Indépendant",
    4: "Indépendant",
    5: "Avancé",
    6: "Avancé",
    7: "Expert",
    8: "Expert",
}


def max_reachable_level() -> int:
    return settings.PIX_MAX_REACHABLE_LEVEL


def max_pix() -> int:
    """1024 with every level open; 768 while the maximum reachable level is 6."""
    return len(COMPETENCES) * max_reachable_level() * PIX_PER_LEVEL
