//! Demo illustrations drawn locally (no downloads): a sky, a sun, layers of buildings and a
//! ground band, in one of several palettes. Deterministic for a given number.

use image::{ImageBuffer, Rgb, RgbImage};

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 675;
pub const COVER_WIDTH: u32 = 600;
pub const COVER_HEIGHT: u32 = 840;

/// What to draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A 16:9 news illustration.
    Illustration,
    /// A magazine cover (portrait).
    Cover,
}

/// Draws picture `n` of `kind`.
pub fn draw(kind: Kind, n: u64) -> RgbImage {
    match kind {
        Kind::Illustration => illustration(n),
        Kind::Cover => cover(n),
    }
}

/// (sky top, sky bottom, far buildings, near buildings, window light, ground)
type Palette = [[u8; 3]; 6];

const PALETTES: &[Palette] = &[
    // morning blue
    [
        [96, 150, 214],
        [214, 232, 246],
        [150, 176, 204],
        [52, 78, 112],
        [255, 226, 140],
        [70, 96, 80],
    ],
    // sunset
    [
        [242, 128, 84],
        [252, 214, 160],
        [176, 112, 120],
        [70, 50, 78],
        [255, 214, 120],
        [64, 52, 60],
    ],
    // night
    [
        [14, 22, 56],
        [48, 62, 120],
        [40, 52, 96],
        [18, 24, 48],
        [255, 210, 96],
        [22, 28, 40],
    ],
    // clear noon
    [
        [70, 140, 220],
        [180, 220, 250],
        [128, 164, 196],
        [60, 96, 132],
        [230, 240, 250],
        [96, 140, 90],
    ],
    // harvest gold
    [
        [120, 170, 220],
        [240, 228, 190],
        [188, 170, 120],
        [120, 100, 60],
        [250, 240, 200],
        [196, 160, 64],
    ],
    // harbour teal
    [
        [40, 120, 150],
        [190, 226, 230],
        [90, 140, 150],
        [30, 70, 90],
        [250, 230, 170],
        [36, 80, 110],
    ],
];

/// A small deterministic generator (xorshift), so the same number draws the same picture.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + (self.next() % u64::from(hi.saturating_sub(lo).max(1))) as u32
    }
}

fn mix(a: [u8; 3], b: [u8; 3], t: f32) -> Rgb<u8> {
    let f = |x: u8, y: u8| (f32::from(x) + (f32::from(y) - f32::from(x)) * t).round() as u8;
    Rgb([f(a[0], b[0]), f(a[1], b[1]), f(a[2], b[2])])
}

fn fill_rect(img: &mut RgbImage, x0: u32, y0: u32, x1: u32, y1: u32, color: Rgb<u8>) {
    for y in y0.min(HEIGHT)..y1.min(HEIGHT) {
        for x in x0.min(WIDTH)..x1.min(WIDTH) {
            img.put_pixel(x, y, color);
        }
    }
}

/// Draws illustration number `n`.
pub fn illustration(n: u64) -> RgbImage {
    let palette = PALETTES[(n as usize) % PALETTES.len()];
    let [sky_top, sky_bottom, far, near, light, ground] = palette;
    let mut rng =
        Rng(0x9E37_79B9_7F4A_7C15 ^ (n.wrapping_add(1)).wrapping_mul(0x2545_F491_4F6C_DD1D));
    let horizon = HEIGHT * 3 / 4;

    let mut img: RgbImage = ImageBuffer::from_fn(WIDTH, HEIGHT, |_, y| {
        mix(sky_top, sky_bottom, y as f32 / horizon as f32)
    });

    // Sun (or moon): a soft disc.
    let (cx, cy, r) = (
        rng.range(150, 1050) as f32,
        rng.range(90, 220) as f32,
        56.0_f32,
    );
    for y in 0..horizon {
        for x in 0..WIDTH {
            let d = ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)).sqrt();
            if d < r * 2.2 {
                let base = img.get_pixel(x, y).0;
                let t = if d < r {
                    0.9
                } else {
                    0.9 * (1.0 - (d - r) / (r * 1.2)).max(0.0)
                };
                img.put_pixel(x, y, mix(base, [255, 246, 214], t));
            }
        }
    }

    // Far skyline.
    let mut x = 0;
    while x < WIDTH {
        let w = rng.range(50, 120);
        let h = rng.range(80, 260);
        fill_rect(&mut img, x, horizon - h, x + w, horizon, Rgb(far));
        x += w + rng.range(0, 20);
    }
    // Near buildings with lit windows.
    let mut x = rng.range(0, 40);
    while x < WIDTH {
        let w = rng.range(70, 160);
        let h = rng.range(120, 360);
        let top = horizon - h;
        fill_rect(&mut img, x, top, x + w, horizon, Rgb(near));
        let mut wy = top + 14;
        while wy + 12 < horizon - 10 {
            let mut wx = x + 10;
            while wx + 10 < x + w - 8 {
                if !rng.next().is_multiple_of(3) {
                    fill_rect(&mut img, wx, wy, wx + 9, wy + 12, mix(near, light, 0.75));
                }
                wx += 18;
            }
            wy += 24;
        }
        x += w + rng.range(10, 70);
    }
    // Ground with a road.
    for y in horizon..HEIGHT {
        let t = (y - horizon) as f32 / (HEIGHT - horizon) as f32;
        for x in 0..WIDTH {
            img.put_pixel(x, y, mix(ground, [20, 20, 20], t * 0.4));
        }
    }
    let road_top = horizon + (HEIGHT - horizon) / 2;
    fill_rect(
        &mut img,
        0,
        road_top,
        WIDTH,
        road_top + 40,
        Rgb([68, 70, 76]),
    );
    let mut dash = 0;
    while dash < WIDTH {
        fill_rect(
            &mut img,
            dash,
            road_top + 18,
            dash + 48,
            road_top + 22,
            Rgb([236, 232, 210]),
        );
        dash += 96;
    }
    img
}

/// A magazine cover: a coloured masthead band, a picture, and bars where cover lines go.
/// The magazine's name and issue are shown by the page next to it, not drawn.
pub fn cover(n: u64) -> RgbImage {
    const BANDS: &[[u8; 3]] = &[
        [11, 74, 139],
        [176, 28, 38],
        [20, 96, 92],
        [92, 54, 130],
        [168, 98, 20],
        [36, 52, 78],
    ];
    let band = BANDS[(n as usize) % BANDS.len()];
    let mut img: RgbImage =
        ImageBuffer::from_pixel(COVER_WIDTH, COVER_HEIGHT, Rgb([247, 243, 234]));
    fill_rect(&mut img, 0, 0, COVER_WIDTH, 150, Rgb(band));
    fill_rect(&mut img, 0, 150, COVER_WIDTH, 156, Rgb([244, 197, 66]));
    // Masthead blocks (where the title would be printed).
    fill_rect(&mut img, 40, 40, 360, 100, mix(band, [255, 255, 255], 0.85));
    fill_rect(
        &mut img,
        40,
        112,
        220,
        124,
        mix(band, [255, 255, 255], 0.55),
    );
    fill_rect(&mut img, 470, 44, 560, 104, mix(band, [255, 255, 255], 0.3));
    // The picture.
    let photo = image::imageops::resize(
        &illustration(n.wrapping_mul(7).wrapping_add(3)),
        520,
        292,
        image::imageops::FilterType::Triangle,
    );
    image::imageops::replace(&mut img, &photo, 40, 196);
    // Cover lines.
    let mut rng = Rng(0xC0FF_EE00 ^ n.wrapping_add(11).wrapping_mul(0x9E37_79B9));
    let mut y = 530;
    for i in 0..5 {
        let w = if i == 0 { 440 } else { rng.range(220, 460) };
        let h = if i == 0 { 26 } else { 14 };
        let color = if i == 0 {
            Rgb(band)
        } else {
            Rgb([120, 120, 128])
        };
        fill_rect(&mut img, 40, y, 40 + w, y + h, color);
        y += h + 22;
    }
    fill_rect(
        &mut img,
        0,
        COVER_HEIGHT - 36,
        COVER_WIDTH,
        COVER_HEIGHT,
        Rgb(band),
    );
    img
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_are_portrait() {
        assert_eq!(cover(1).dimensions(), (COVER_WIDTH, COVER_HEIGHT));
    }

    #[test]
    fn draws_the_same_picture_for_the_same_number() {
        let a = illustration(3);
        let b = illustration(3);
        let c = illustration(4);
        assert_eq!(a.dimensions(), (WIDTH, HEIGHT));
        assert!(a == b);
        assert!(a != c);
    }
}
