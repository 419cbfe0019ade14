//! The sample articles' photographs, painted from code: a car on a road under a sky, with
//! a sun, distant hills and film grain, so they compress like photographs do. The same seed
//! and size always paint the same pixels. `garage-paint public/media` writes them
//! (`SAMPLES`); they are committed, as a publisher's files would be.

use crate::Size;
use image::RgbImage;

/// One sample photograph: its file under `public/media/`, its seed and size.
pub struct Sample {
    pub file: &'static str,
    pub seed: u64,
    pub size: Size,
}

pub const SAMPLES: [Sample; 5] = [
    Sample {
        file: "aurus-senat.jpg",
        seed: 1,
        size: Size {
            width: 2400,
            height: 1350,
        },
    },
    Sample {
        file: "volvo-xc60.jpg",
        seed: 2,
        size: Size {
            width: 2000,
            height: 1125,
        },
    },
    Sample {
        file: "dropped-kerb.jpg",
        seed: 3,
        size: Size {
            width: 1600,
            height: 1067,
        },
    },
    Sample {
        file: "smart-motorway.jpg",
        seed: 4,
        size: Size {
            width: 2400,
            height: 1350,
        },
    },
    Sample {
        file: "night-drive.jpg",
        seed: 5,
        size: Size {
            width: 1200,
            height: 800,
        },
    },
];

/// A small, fast, deterministic generator (SplitMix64).
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in [0, 1).
    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
}

fn mix(a: [f32; 3], b: [f32; 3], t: f32) -> [f32; 3] {
    let t = t.clamp(0.0, 1.0);
    [
        a[0] + (b[0] - a[0]) * t,
        a[1] + (b[1] - a[1]) * t,
        a[2] + (b[2] - a[2]) * t,
    ]
}

fn smooth(edge0: f32, edge1: f32, x: f32) -> f32 {
    let t = ((x - edge0) / (edge1 - edge0)).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

/// Paints the photograph of `seed` at `size`.
pub fn paint(seed: u64, size: Size) -> RgbImage {
    let mut random = Random(seed.wrapping_mul(0x2545_f491_4f6c_dd1d));
    let mut colour = |low: f32, high: f32| {
        [
            low + (high - low) * random.unit(),
            low + (high - low) * random.unit(),
            low + (high - low) * random.unit(),
        ]
    };
    let sky_top = colour(20.0, 120.0);
    let sky_low = colour(150.0, 250.0);
    let hills = colour(40.0, 110.0);
    let ground = colour(60.0, 140.0);
    let body = colour(10.0, 200.0);
    let mut random = Random(seed ^ 0x5eed);
    let horizon = 0.45 + 0.1 * random.unit();
    let sun = (0.15 + 0.7 * random.unit(), 0.1 + 0.2 * random.unit());
    let car_x = 0.2 + 0.2 * random.unit();
    let car_w = 0.45 + 0.15 * random.unit();
    let phase = random.unit() * 6.0;
    let (w, h) = (size.width as f32, size.height as f32);
    let aspect = w / h;
    let mut grain = Random(seed.wrapping_add(99));
    RgbImage::from_fn(size.width, size.height, |x, y| {
        let u = x as f32 / w;
        let v = y as f32 / h;
        // Sky, a sun, hills, then the ground with a road across it.
        let hill = horizon - 0.06 * ((u * 7.0 + phase).sin() * 0.5 + 0.5) - 0.03 * (u * 19.0).sin();
        let mut c = if v < hill {
            let mut c = mix(sky_top, sky_low, v / hill);
            let d = ((u - sun.0) * aspect).hypot(v - sun.1);
            c = mix(c, [255.0, 244.0, 214.0], 1.0 - smooth(0.03, 0.09, d));
            c
        } else if v < horizon {
            mix(hills, sky_low, 0.25 * (horizon - v) / 0.1)
        } else {
            let road = (v - 0.78).abs() < 0.11;
            let base = if road { [70.0, 70.0, 74.0] } else { ground };
            let mut c = mix(base, [30.0, 30.0, 30.0], (v - horizon) * 0.8);
            if road && (v - 0.78).abs() < 0.006 && ((u * 12.0).fract() < 0.5) {
                c = [230.0, 230.0, 220.0];
            }
            c
        };
        // The car: a body, a cabin with its glass, two wheels.
        let (cx, cw) = (car_x, car_w);
        let top = 0.62;
        let bottom = 0.8;
        if u > cx && u < cx + cw && v > top && v < bottom {
            let shade = 0.75 + 0.5 * (1.0 - (v - top) / (bottom - top));
            c = [body[0] * shade, body[1] * shade, body[2] * shade];
            if (v - 0.7).abs() < 0.004 {
                c = mix(c, [255.0, 255.0, 255.0], 0.5);
            }
        }
        let cabin = (u > cx + cw * 0.22 && u < cx + cw * 0.72) && v > 0.52 && v <= top;
        let slope = (u - (cx + cw * 0.22)).min(cx + cw * 0.72 - u) * aspect;
        if cabin && slope > (top - v) * 0.8 {
            c = if slope > (top - v) * 0.8 + 0.02 && v > 0.54 {
                mix([40.0, 60.0, 80.0], sky_low, 0.4 * (0.62 - v) / 0.1)
            } else {
                body
            };
        }
        for wheel in [cx + cw * 0.2, cx + cw * 0.8] {
            let d = ((u - wheel) * aspect).hypot(v - 0.8);
            if d < 0.06 {
                c = if d < 0.03 {
                    [150.0, 150.0, 155.0]
                } else {
                    [15.0, 15.0, 15.0]
                };
            }
        }
        // Film grain.
        let n = (grain.unit() - 0.5) * 6.0;
        image::Rgb([
            (c[0] + n).clamp(0.0, 255.0) as u8,
            (c[1] + n).clamp(0.0, 255.0) as u8,
            (c[2] + n).clamp(0.0, 255.0) as u8,
        ])
    })
}
