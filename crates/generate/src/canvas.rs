//! An RGB canvas drawn with integer arithmetic only, and its PNG encoding with fixed settings, so
//! that one request gives the same bytes everywhere.

use std::io::Cursor;

/// A colour.
pub type Rgb = [u8; 3];

/// Pixels, row by row from the top left.
#[derive(Debug, Clone)]
pub(crate) struct Canvas {
    width: i64,
    height: i64,
    pixels: Vec<u8>,
}

/// `a` blended toward `b` by `alpha` of 255 (rounded to nearest).
fn mix(a: u8, b: u8, alpha: u8) -> u8 {
    let (a, b, alpha) = (u32::from(a), u32::from(b), u32::from(alpha));
    ((a * (255 - alpha) + b * alpha + 127) / 255) as u8
}

/// `a` blended toward `b` by `t` of `of`.
pub(crate) fn lerp(a: Rgb, b: Rgb, t: i64, of: i64) -> Rgb {
    let alpha = (t.clamp(0, of.max(1)) * 255 / of.max(1)) as u8;
    [mix(a[0], b[0], alpha), mix(a[1], b[1], alpha), mix(a[2], b[2], alpha)]
}

impl Canvas {
    /// A canvas filled with a vertical gradient from `top` to `bottom`.
    pub(crate) fn new(width: u32, height: u32, top: Rgb, bottom: Rgb) -> Canvas {
        let (w, h) = (i64::from(width), i64::from(height));
        let mut pixels = Vec::with_capacity((w * h * 3) as usize);
        for y in 0..h {
            let color = lerp(top, bottom, y, h - 1);
            for _ in 0..w {
                pixels.extend_from_slice(&color);
            }
        }
        Canvas { width: w, height: h, pixels }
    }

    pub(crate) fn width(&self) -> i64 {
        self.width
    }

    pub(crate) fn height(&self) -> i64 {
        self.height
    }

    /// Blends one pixel toward `color` by `alpha`; outside the canvas does nothing.
    pub(crate) fn blend(&mut self, x: i64, y: i64, color: Rgb, alpha: u8) {
        if x < 0 || y < 0 || x >= self.width || y >= self.height {
            return;
        }
        let at = ((y * self.width + x) * 3) as usize;
        for (channel, value) in color.iter().enumerate() {
            self.pixels[at + channel] = mix(self.pixels[at + channel], *value, alpha);
        }
    }

    /// The rectangle `[x0, x1) × [y0, y1)`.
    pub(crate) fn rect(&mut self, x0: i64, y0: i64, x1: i64, y1: i64, color: Rgb, alpha: u8) {
        for y in y0.max(0)..y1.min(self.height) {
            for x in x0.max(0)..x1.min(self.width) {
                self.blend(x, y, color, alpha);
            }
        }
    }

    /// A filled disc.
    pub(crate) fn disc(&mut self, cx: i64, cy: i64, radius: i64, color: Rgb, alpha: u8) {
        let r2 = radius * radius;
        for y in -radius..=radius {
            for x in -radius..=radius {
                if x * x + y * y <= r2 {
                    self.blend(cx + x, cy + y, color, alpha);
                }
            }
        }
    }

    /// A line `thickness` pixels wide (Bresenham's, stamping a square per step).
    #[allow(clippy::too_many_arguments, reason = "two points, a colour, a width and an opacity")]
    pub(crate) fn line(&mut self, x0: i64, y0: i64, x1: i64, y1: i64, color: Rgb, thickness: i64, alpha: u8) {
        let (dx, dy) = ((x1 - x0).abs(), -(y1 - y0).abs());
        let (sx, sy) = (if x0 < x1 { 1 } else { -1 }, if y0 < y1 { 1 } else { -1 });
        let (mut x, mut y, mut error) = (x0, y0, dx + dy);
        let half = (thickness.max(1) - 1) / 2;
        let span = thickness.max(1) - 1 - half;
        // Bounded: a line is at most the canvas's diagonal after clipping by the caller's limits.
        for _ in 0..=(dx - dy) {
            for oy in -half..=span {
                for ox in -half..=span {
                    self.blend(x + ox, y + oy, color, alpha);
                }
            }
            if x == x1 && y == y1 {
                break;
            }
            let doubled = 2 * error;
            if doubled >= dy {
                error += dy;
                x += sx;
            }
            if doubled <= dx {
                error += dx;
                y += sy;
            }
        }
    }

    /// The canvas as a PNG: 8-bit RGB, no interlacing, one filter and one compression level
    /// always.
    pub(crate) fn to_png(&self) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        {
            let mut encoder = png::Encoder::new(&mut out, self.width as u32, self.height as u32);
            encoder.set_color(png::ColorType::Rgb);
            encoder.set_depth(png::BitDepth::Eight);
            encoder.set_compression(png::Compression::Balanced);
            encoder.set_filter(png::Filter::Paeth);
            // Writing into memory cannot fail, and the dimensions were checked by the caller.
            let mut writer = encoder.write_header().expect("a PNG header in memory");
            writer.write_image_data(&self.pixels).expect("PNG data in memory");
        }
        out.into_inner()
    }

    #[cfg(test)]
    pub(crate) fn pixel(&self, x: i64, y: i64) -> Rgb {
        let at = ((y * self.width + x) * 3) as usize;
        [self.pixels[at], self.pixels[at + 1], self.pixels[at + 2]]
    }
}

/// `#rrggbb` as a colour.
pub(crate) fn parse_color(text: &str) -> Option<Rgb> {
    let hex = text.strip_prefix('#')?;
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([channel(0)?, channel(2)?, channel(4)?])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blending_lines_and_shapes_stay_on_the_canvas() {
        let mut canvas = Canvas::new(8, 8, [0, 0, 0], [0, 0, 0]);
        canvas.line(-5, 3, 20, 3, [255, 255, 255], 1, 255);
        assert_eq!(canvas.pixel(0, 3), [255, 255, 255]);
        assert_eq!(canvas.pixel(7, 3), [255, 255, 255]);
        assert_eq!(canvas.pixel(7, 4), [0, 0, 0]);
        canvas.rect(-2, -2, 2, 2, [255, 0, 0], 128);
        assert_eq!(canvas.pixel(0, 0), [128, 0, 0]);
        canvas.disc(100, 100, 3, [1, 2, 3], 255);
    }

    #[test]
    fn colours_are_read_from_hex() {
        assert_eq!(parse_color("#ff8000"), Some([255, 128, 0]));
        assert_eq!(parse_color("ff8000"), None);
        assert_eq!(parse_color("#ff80"), None);
        assert_eq!(parse_color("#gg8000"), None);
    }

    #[test]
    fn a_canvas_encodes_to_a_png_that_decodes_to_its_pixels() {
        let mut canvas = Canvas::new(16, 9, [10, 20, 30], [200, 100, 50]);
        canvas.disc(8, 4, 3, [255, 255, 0], 200);
        let png = canvas.to_png();
        let decoder = png::Decoder::new(std::io::Cursor::new(&png));
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut pixels).unwrap();
        assert_eq!((info.width, info.height), (16, 9));
        assert_eq!(&pixels[..info.buffer_size()], canvas.pixels.as_slice());
        assert_eq!(png, canvas.to_png(), "the same canvas encodes to the same bytes");
    }
}
