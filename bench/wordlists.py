"""The words the synthetic cities are made of: agencies, actors, initiatives, topics, factor
terms and the concept slugs of the project's schemes (ontology/modules/schemes.ttl).

Each entry gives a slug suffix and the name in Indonesian and English; `{n}` is the
municipality's base name.
"""

STAGE_KINDS = [
    # kind slug, class, Indonesian label, English label
    ("e-government", "sck:EGovernmentPeriod", "Periode e-government", "E-government period"),
    ("preparation", "sck:PreparationStage", "Tahap persiapan", "Preparation stage"),
    ("planning", "sck:PlanningStage", "Tahap perencanaan", "Planning stage"),
    ("implementation", "sck:ImplementationStage", "Tahap implementasi", "Implementation stage"),
]

DIMENSIONS = [
    "smart-governance",
    "smart-branding",
    "smart-economy",
    "smart-living",
    "smart-society",
    "smart-environment",
]

# factor slug: the names a source may use for it in one city (sck:termUsed), English name
FACTORS = {
    "leadership": (["Kepemimpinan", "Leadership", "Kepemimpinan Kepala Daerah"], "Leadership"),
    "sustainable-programmes": (
        ["Program Berkelanjutan", "Program-Program Berkelanjutan"],
        "Sustainable programmes",
    ),
    "civil-servant-capacity": (
        ["SDM Pegawai Pemerintah", "Kapasitas Aparatur"],
        "Civil-servant capacity",
    ),
    "community-approach": (["Pendekatan Kepada Masyarakat"], "Community approach"),
    "budget": (["Anggaran Biaya", "Anggaran"], "Budget"),
    "active-community-participation": (
        ["Partisipasi Aktif Masyarakat"],
        "Active community participation",
    ),
    "multi-party-collaboration": (
        ["Kolaborasi Berbagai Pihak", "Kerja Sama Berbagai Pihak"],
        "Multi-party collaboration",
    ),
    "city-problem-priority": (["Prioritas Permasalahan Kota"], "City problem priority"),
}

AWARD_CATEGORIES = [
    "best-smart-readiness",
    "best-smart-governance",
    "best-smart-branding",
    "best-smart-economy",
    "best-smart-living",
    "best-smart-society",
    "best-smart-environment",
]

# Legal act types: (slug, Indonesian title word for a kota, for a kabupaten, English)
ACT_TYPES = [
    ("perda", "Peraturan Daerah", "Peraturan Daerah", "Regional regulation"),
    ("perwal", "Peraturan Wali Kota", "Peraturan Bupati", "Head of region's regulation"),
    ("kepwal", "Keputusan Wali Kota", "Keputusan Bupati", "Head of region's decree"),
]

# Plan types: (slug, years covered, Indonesian title, English)
PLAN_TYPES = [
    ("rpjpd", 20, "Rencana Pembangunan Jangka Panjang Daerah", "Long-term development plan"),
    ("rpjmd", 5, "Rencana Pembangunan Jangka Menengah Daerah", "Medium-term development plan"),
    ("renstra", 5, "Rencana Strategis Perangkat Daerah", "Strategic plan"),
    ("masterplan", 5, "Masterplan Smart City", "Smart-city masterplan"),
    ("rkpd", 1, "Rencana Kerja Pemerintah Daerah", "Annual government work plan"),
    ("renja", 1, "Rencana Kerja Perangkat Daerah", "Annual agency work plan"),
    ("lkpj", 1, "Laporan Keterangan Pertanggungjawaban", "Accountability report"),
]

ACT_TOPICS = [
    (
        "Penyelenggaraan Komunikasi dan Informatika",
        "the provision of communication and informatics",
    ),
    ("Pembentukan Tim Pelaksana Smart City", "the smart-city implementation team"),
    ("Sistem Pemerintahan Berbasis Elektronik", "electronic-based government"),
    ("Satu Data Daerah", "one regional data"),
    ("Pelayanan Publik Terpadu", "integrated public services"),
    ("Pengelolaan Sampah", "waste management"),
    ("Keterbukaan Informasi Publik", "public information openness"),
    ("Penerangan Jalan Umum", "street lighting"),
    ("Penanaman Modal", "investment"),
    ("Rencana Induk Smart City", "the smart-city master plan"),
]

GOVERNMENT_UNITS = [
    ("diskominfo", "Dinas Komunikasi dan Informatika", "Communication and Informatics Agency"),
    ("bappeda", "Badan Perencanaan Pembangunan Daerah", "Regional Development Planning Agency"),
    ("dinkes", "Dinas Kesehatan", "Health Agency"),
    ("dishub", "Dinas Perhubungan", "Transport Agency"),
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "Civil Registration Agency"),
    ("dlh", "Dinas Lingkungan Hidup", "Environment Agency"),
    ("dpmptsp", "Dinas Penanaman Modal dan PTSP", "Investment and One-Stop Service Agency"),
    ("disdik", "Dinas Pendidikan", "Education Agency"),
]

# Non-government actors: (sector, class, slug, Indonesian name, English name)
OTHER_ACTORS = [
    ("academia", "org:FormalOrganization", "universitas", "Universitas {n}", "University of {n}"),
    ("academia", "org:FormalOrganization", "politeknik", "Politeknik {n}", "{n} Polytechnic"),
    (
        "academia",
        "org:FormalOrganization",
        "institut-teknologi",
        "Institut Teknologi {n}",
        "{n} Institute of Technology",
    ),
    ("business", "org:FormalOrganization", "bank-daerah", "Bank Daerah {n}", "{n} Regional Bank"),
    (
        "business",
        "org:FormalOrganization",
        "pt-telematika",
        "PT Telematika {n}",
        "PT Telematika {n} (telecom company)",
    ),
    (
        "business",
        "org:FormalOrganization",
        "kadin",
        "Kamar Dagang dan Industri {n}",
        "{n} Chamber of Commerce",
    ),
    (
        "community",
        "org:Organization",
        "komunitas-digital",
        "Komunitas Digital {n}",
        "{n} Digital Community",
    ),
    (
        "community",
        "org:Organization",
        "karang-taruna",
        "Karang Taruna {n}",
        "{n} Youth Organisation",
    ),
    ("community", "org:Organization", "forum-warga", "Forum Warga {n}", "{n} Residents' Forum"),
    ("media", "org:FormalOrganization", "radio-daerah", "Radio Daerah {n}", "{n} Regional Radio"),
    ("media", "org:FormalOrganization", "harian", "Harian {n}", "{n} Daily"),
    ("media", "org:FormalOrganization", "tv-lokal", "TV Lokal {n}", "{n} Local Television"),
]

# Initiatives: (class, slug, Indonesian name, English name)
INITIATIVES = [
    ("sck:Application", "lapor", "Lapor {n}", "Lapor {n} (complaints app)"),
    ("sck:Application", "siaran", "Siaran {n}", "Siaran {n} (public information app)"),
    ("sck:Application", "e-perizinan", "e-Perizinan {n}", "{n} e-licensing"),
    ("sck:Application", "e-budgeting", "e-Budgeting {n}", "{n} e-budgeting"),
    ("sck:Application", "e-retribusi", "e-Retribusi {n}", "{n} e-levy payments"),
    ("sck:Application", "e-kinerja", "e-Kinerja {n}", "{n} staff performance system"),
    ("sck:Application", "sehat", "{n} Sehat", "{n} Sehat (health services app)"),
    ("sck:Application", "pasar-online", "Pasar Online {n}", "{n} online market"),
    ("sck:Application", "wisata", "Wisata {n}", "{n} tourism portal"),
    ("sck:Application", "bank-sampah-digital", "Bank Sampah Digital {n}", "{n} digital waste bank"),
    ("sck:Application", "pantau-banjir", "Pantau Banjir {n}", "{n} flood monitor"),
    ("sck:Application", "e-sekolah", "e-Sekolah {n}", "{n} school services app"),
    (
        "sck:Application",
        "kartu-warga-digital",
        "Kartu Warga Digital {n}",
        "{n} digital resident card",
    ),
    ("sck:Application", "satu-data", "Portal Satu Data {n}", "{n} one-data portal"),
    ("sck:Application", "dari-ide", "Dari Ide {n}", "Dari Ide {n} (ideas from agencies)"),
    ("sck:Application", "angkot-pintar", "Angkot Pintar {n}", "{n} smart minibus tracker"),
    ("sck:Programme", "wifi-gratis", "Wifi Gratis {n}", "{n} free public wifi"),
    ("sck:Programme", "command-center", "Command Center {n}", "{n} command centre"),
    ("sck:Programme", "pju-led", "PJU LED {n}", "{n} LED street lighting"),
    ("sck:Programme", "ruang-terbuka-hijau", "Ruang Terbuka Hijau {n}", "{n} green open space"),
    (
        "sck:Programme",
        "sampah-terpadu",
        "Pengelolaan Sampah Terpadu {n}",
        "{n} integrated waste management",
    ),
    ("sck:Programme", "umkm-digital", "UMKM Digital {n}", "{n} digital small business"),
    ("sck:Programme", "festival-kota", "Festival Kota {n}", "{n} city festival"),
    ("sck:Programme", "kampung-tematik", "Kampung Tematik {n}", "{n} thematic villages"),
    ("sck:Programme", "literasi-digital", "Literasi Digital {n}", "{n} digital literacy"),
    (
        "sck:Programme",
        "mal-pelayanan-publik",
        "Mal Pelayanan Publik {n}",
        "{n} public service mall",
    ),
    ("sck:Programme", "parkir-pintar", "Parkir Pintar {n}", "{n} smart parking"),
    ("sck:Programme", "cctv-kota", "CCTV Kota {n}", "{n} city CCTV"),
    ("sck:Programme", "sensor-udara", "Sensor Kualitas Udara {n}", "{n} air-quality sensors"),
    ("sck:Programme", "pelatihan-sdm-tik", "Pelatihan SDM TIK {n}", "{n} ICT staff training"),
    (
        "sck:Programme",
        "layanan-kesehatan-terpadu",
        "Layanan Kesehatan Terpadu {n}",
        "{n} integrated health services",
    ),
    ("sck:Programme", "sekolah-digital", "Sekolah Digital {n}", "{n} digital schools"),
]

# Enabling activities, one for each transition in order: (slug, Indonesian, English name)
ACTIVITIES = [
    (
        "e-government-integration",
        "Integrasi e-government seluruh perangkat daerah {n}",
        "Integration of e-government across the agencies of {n}",
    ),
    ("readiness-analysis", "Analisis kesiapan {n}", "Readiness analysis of {n}"),
    (
        "public-service-strengthening",
        "Penguatan sarana pelayanan publik {n}",
        "Strengthening of public-service facilities of {n}",
    ),
]

# Parts of a city's synthetic case study: (slug suffix, locator)
SOURCE_PARTS = [
    ("c-1", "C.1"),
    ("c-2", "C.2"),
    ("c-3", "C.3"),
    ("tabel-3", "Tabel 3"),
    ("gambar-2", "Gambar 2"),
]
