//! The synthetic sample survey shipped in `data/survei.csv`: about 4,000 respondents of Tarakan's
//! programme in 3 waves (2024 and 2025 before the programme, 2026 after), with a known true effect
//! built in and a few deliberately bad rows for the rejects report. Deterministic.
//!
//! Written by `cargo run --example sample_survey -- data/survei.csv`; benchmarks ask for more rows.

use std::fmt::Write as _;

/// The effects built in (participants, endline, against the comparison group's change).
pub const TRUE_EFFECTS: &[(&str, f64)] = &[
    ("pendapatan", 400_000.0),
    ("literasi", 8.0),
    ("jual_online", 0.15),
    ("ponsel_usaha", 0.12),
    ("pelatihan", 2.0),
];

const PLACES: &[(&str, &[&str])] = &[
    (
        "Tarakan Timur",
        &[
            "Lingkas Ujung",
            "Gunung Lingkas",
            "Mamburungan",
            "Mamburungan Timur",
            "Kampung Empat",
            "Kampung Enam",
            "Pantai Amal",
        ],
    ),
    (
        "Tarakan Tengah",
        &[
            "Selumit Pantai",
            "Selumit",
            "Sebengkok",
            "Pamusian",
            "Kampung Satu Skip",
        ],
    ),
    (
        "Tarakan Barat",
        &[
            "Karang Balik",
            "Karang Rejo",
            "Karang Anyar",
            "Karang Anyar Pantai",
            "Karang Harapan",
        ],
    ),
    (
        "Tarakan Utara",
        &["Juata Permai", "Juata Kerikil", "Juata Laut"],
    ),
];
const SECTORS: &[(&str, f64)] = &[
    ("rumput-laut", 2_600_000.0),
    ("perikanan", 3_100_000.0),
    ("umkm", 3_600_000.0),
    ("kub", 3_000_000.0),
];
const AGES: &[&str] = &["18-29", "30-44", "45-59", "60+"];
const WAVES: &[&str] = &["2024", "2025", "2026"];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*: small, fast, good enough for sample data.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545F4914F6CDD1D)
    }
    fn uniform(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.uniform() * n as f64) as usize % n
    }
    fn normal(&mut self) -> f64 {
        let (u1, u2) = (self.uniform().max(1e-12), self.uniform());
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
    fn chance(&mut self, p: f64) -> bool {
        self.uniform() < p
    }
}

/// The survey as CSV text, about `target_rows` rows (3 waves per respondent, 5% attrition).
pub fn generate(target_rows: usize) -> String {
    let respondents = target_rows / 3;
    let mut rng = Rng(0x7A2A_CA11_2026);
    let mut out = String::with_capacity(target_rows * 90);
    out.push_str("responden_id,gelombang,kelompok,kecamatan,kelurahan,sektor,jenis_kelamin,kelompok_umur,pendapatan_bulanan,skor_literasi_digital,jual_online,ponsel_untuk_usaha,pelatihan_diikuti\n");
    for r in 0..respondents {
        let (kecamatan, kelurahans) = PLACES[rng.below(PLACES.len())];
        let kelurahan = kelurahans[rng.below(kelurahans.len())];
        // Seaweed farmers live mostly on the east coast; fishers on the coasts.
        let sector = if kecamatan == "Tarakan Timur" && rng.chance(0.4) {
            0
        } else {
            rng.below(SECTORS.len())
        };
        let (sector_name, base_income) = SECTORS[sector];
        let treated = rng.chance(0.45);
        let gender = if rng.chance(0.48) { "P" } else { "L" };
        let age = AGES[rng.below(AGES.len())];
        let person = rng.normal();
        let literacy0 = 42.0 + 10.0 * rng.normal() + if treated { 3.0 } else { 0.0 };
        let online0 = 0.22 + if sector_name == "umkm" { 0.15 } else { 0.0 };
        let phone0 = 0.55;
        for (w, wave) in WAVES.iter().enumerate() {
            // One in twenty respondents missed a wave.
            if w > 0 && rng.chance(0.05) {
                continue;
            }
            let post = w == 2;
            let effect = |i: usize| {
                if treated && post {
                    TRUE_EFFECTS[i].1
                } else {
                    0.0
                }
            };
            let income = base_income * (1.0 + 0.04 * w as f64)
                + 450_000.0 * person
                + 350_000.0 * rng.normal()
                + effect(0);
            let income = (income.max(300_000.0) / 1000.0).round() * 1000.0;
            let literacy = (literacy0 + 2.0 * w as f64 + 5.0 * rng.normal() + effect(1))
                .clamp(0.0, 100.0)
                .round();
            let online = rng.chance(online0 + 0.03 * w as f64 + effect(2)) as u8;
            let phone = rng.chance(phone0 + 0.04 * w as f64 + effect(3)) as u8;
            let workshops = if post && treated {
                1 + rng.below(4)
            } else {
                rng.below(2)
            } as f64;
            let group = if treated { "peserta" } else { "pembanding" };
            let _ = writeln!(
                out,
                "TRK-{r:05},{wave},{group},{kecamatan},{kelurahan},{sector_name},{gender},{age},{income},{literacy},{online},{phone},{workshops}"
            );
        }
    }
    // Deliberately bad rows, so the rejects report has something to show.
    for bad in [
        "TRK-90001,2026,peserta,Tarakan Timur,Pantai Amal,rumput-laut,P,30-44,\"3,5 juta\",55,1,1,2",
        "TRK-90002,2026,pembanding,Tarakan Barat,Karang Rejo,perikanan,L,45-59,3100000,140,0,1,0",
        "TRK-90003,2023,peserta,Tarakan Tengah,Selumit Pantai,umkm,P,18-29,3900000,61,1,1,1",
        "TRK-90004,2026,peserta?,Tarakan Utara,Juata Laut,perikanan,L,30-44,3300000,48,0,1,1",
        "TRK-00001,2024,peserta,Tarakan Timur,Pantai Amal,rumput-laut,P,30-44,2500000,40,0,1,0",
        ",2025,pembanding,Tarakan Tengah,Sebengkok,umkm,P,45-59,3600000,52,1,1,0",
        "TRK-90005,2026,pembanding,Tarakan Barat,Karang Anyar,kub,L,60+,2900000,37,mungkin,0,0",
        "TRK-90006,2025,peserta,Tarakan Timur,Mamburungan,kub,P,18-29,-250000,45,0,1,0",
    ] {
        out.push_str(bad);
        out.push('\n');
    }
    out
}
