"""First-order divisions (governorates) of Syria and Iraq, keyed by GeoNames admin1 code.

Names are the English forms researchers use; the points are approximate centroids (hand-placed,
for events known only to the governorate, UCDP where_prec 4). The codes are GeoNames' and equal
Natural Earth's `gn_a1_code`, so the map's outlines join on them.
"""

# code: (name, Arabic name, latitude, longitude)
GOVERNORATES: dict[str, tuple[str, str, float, float]] = {
    "SY.01": ("Hasakah", "الحسكة", 36.4, 40.9),
    "SY.02": ("Latakia", "اللاذقية", 35.6, 36.0),
    "SY.03": ("Quneitra", "القنيطرة", 33.1, 35.85),
    "SY.04": ("Raqqa", "الرقة", 35.9, 38.9),
    "SY.05": ("As-Suwayda", "السويداء", 32.7, 36.7),
    "SY.06": ("Daraa", "درعا", 32.8, 36.2),
    "SY.07": ("Deir ez-Zor", "دير الزور", 35.0, 40.2),
    "SY.08": ("Rif Dimashq", "ريف دمشق", 33.5, 36.9),
    "SY.09": ("Aleppo", "حلب", 36.2, 37.4),
    "SY.10": ("Hama", "حماة", 35.2, 36.9),
    "SY.11": ("Homs", "حمص", 34.4, 38.0),
    "SY.12": ("Idlib", "إدلب", 35.7, 36.6),
    "SY.13": ("Damascus", "دمشق", 33.51, 36.29),
    "SY.14": ("Tartus", "طرطوس", 34.9, 36.0),
    "IQ.01": ("Anbar", "الأنبار", 33.4, 42.0),
    "IQ.02": ("Basra", "البصرة", 30.5, 47.6),
    "IQ.03": ("Muthanna", "المثنى", 30.2, 45.3),
    "IQ.04": ("Al-Qadisiyah", "القادسية", 31.9, 45.0),
    "IQ.05": ("Sulaymaniyah", "السليمانية", 35.5, 45.4),
    "IQ.06": ("Babil", "بابل", 32.5, 44.5),
    "IQ.07": ("Baghdad", "بغداد", 33.3, 44.4),
    "IQ.08": ("Duhok", "دهوك", 36.9, 43.0),
    "IQ.09": ("Dhi Qar", "ذي قار", 31.1, 46.2),
    "IQ.10": ("Diyala", "ديالى", 34.0, 45.0),
    "IQ.11": ("Erbil", "أربيل", 36.2, 44.3),
    "IQ.12": ("Karbala", "كربلاء", 32.6, 43.6),
    "IQ.13": ("Kirkuk", "كركوك", 35.4, 44.3),
    "IQ.14": ("Maysan", "ميسان", 31.9, 47.1),
    "IQ.15": ("Nineveh", "نينوى", 36.2, 42.7),
    "IQ.16": ("Wasit", "واسط", 32.6, 45.8),
    "IQ.17": ("Najaf", "النجف", 30.9, 43.6),
    "IQ.18": ("Salah al-Din", "صلاح الدين", 34.5, 43.6),
    "IQ.19": ("Halabja", "حلبجة", 35.2, 46.0),
}
