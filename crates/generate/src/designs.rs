//! The four designs. Each draws on a canvas from a seeded generator and the look (colours,
//! stroke, density, plant rules), with integer arithmetic only.

use crate::{
    Look,
    canvas::{Canvas, Rgb, lerp},
    rng::Rng,
    trig::{ONE, cos, sin},
};

/// The colour `index` of the palette, wrapping.
fn color(look: &Look, index: usize) -> Rgb {
    look.palette[index % look.palette.len()]
}

/// A row of buildings: floors of windows, lit by the density, cornices and doors, a sun or moon.
pub(crate) fn facade(canvas: &mut Canvas, rng: &mut Rng, look: &Look) {
    let (w, h) = (canvas.width(), canvas.height());
    let sky = color(look, 1);
    canvas.disc(rng.range(w / 8, w * 7 / 8), rng.range(h / 10, h / 4), (w.min(h) / 14).max(3), sky, 200);
    let ground = h - h / 10;
    let buildings = rng.range(1, 4);
    let mut x = rng.range(0, w / 20);
    for b in 0..buildings {
        let remaining = buildings - b;
        let width = if remaining == 1 {
            w - x - rng.range(0, w / 20)
        } else {
            (w - x) / remaining + rng.range(-w / 16, w / 16)
        };
        let width = width.max(w / 8);
        let top = rng.range(h / 6, h / 2);
        let body = color(look, 2 + b as usize);
        canvas.rect(x, top, x + width, ground, body, 255);
        // Cornice and roof line.
        let cornice = (h / 60).max(2);
        canvas.rect(
            x - cornice,
            top - cornice,
            x + width + cornice,
            top + cornice,
            color(look, 3 + b as usize),
            255,
        );
        let floor = (h / 14).max(8) + rng.range(-2, 4);
        let bay = (w / 18).max(6) + rng.range(-2, 6);
        let glass = color(look, 0);
        let light = color(look, 4 + b as usize);
        let mut y = top + cornice * 3;
        while y + floor < ground - floor {
            let mut wx = x + bay / 2;
            while wx + bay <= x + width - bay / 3 {
                let lit = rng.chance(u64::from(look.density));
                let pane = if lit { light } else { glass };
                canvas.rect(wx, y, wx + bay * 3 / 5, y + floor * 3 / 5, pane, if lit { 240 } else { 200 });
                // A sill under each window.
                canvas.rect(
                    wx - 1,
                    y + floor * 3 / 5,
                    wx + bay * 3 / 5 + 1,
                    y + floor * 3 / 5 + 2,
                    color(look, 3),
                    255,
                );
                wx += bay;
            }
            y += floor;
        }
        let door = (bay * 4 / 5).max(4);
        let center = x + width / 2;
        canvas.rect(
            center - door / 2,
            ground - floor,
            center + door / 2,
            ground,
            color(look, 1 + b as usize),
            255,
        );
        x += width + rng.range(w / 80, w / 24);
        if x >= w - w / 10 {
            break;
        }
    }
    canvas.rect(0, ground, w, h, color(look, 0), 255);
}

/// Truchet tiles: in each square, two quarter-circle bands joining the midpoints of its sides,
/// turned one of two ways.
pub(crate) fn tiling(canvas: &mut Canvas, rng: &mut Rng, look: &Look) {
    let (w, h) = (canvas.width(), canvas.height());
    let size = (w.min(h) / (4 + i64::from(look.density) / 8)).max(8);
    let band = (i64::from(look.stroke) * size / 16).max(1);
    let r = size / 2;
    let (inner, outer) = ((r - band).max(0).pow(2), (r + band).pow(2));
    let mut ty = 0;
    let mut row = 0usize;
    while ty < h {
        let mut tx = 0;
        let mut column = 0usize;
        while tx < w {
            let flip = rng.chance(50);
            let ink = color(look, 1 + (row + column) % 3);
            canvas.rect(tx, ty, tx + size, ty + size, color(look, (row + column) % 2 * 4), 70);
            let corners = if flip { [(0, 0), (size, size)] } else { [(size, 0), (0, size)] };
            for y in 0..size {
                for x in 0..size {
                    let on = corners.iter().any(|(cx, cy)| {
                        let d = (x - cx).pow(2) + (y - cy).pow(2);
                        (inner..=outer).contains(&d)
                    });
                    if on {
                        canvas.blend(tx + x, ty + y, ink, 235);
                    }
                }
            }
            tx += size;
            column += 1;
        }
        ty += size;
        row += 1;
    }
}

/// Most symbols an L-system may grow to: bounds the work of a plant.
const MAX_SYMBOLS: usize = 60_000;

/// The string an L-system's rules grow from its axiom, stopping before it passes the bound.
fn grow(look: &Look) -> Vec<char> {
    let mut symbols: Vec<char> = look.plant.axiom.chars().collect();
    for _ in 0..look.plant.iterations {
        let mut next = Vec::with_capacity(symbols.len() * 3);
        for symbol in &symbols {
            match look.plant.rules.get(symbol) {
                Some(replacement) => next.extend(replacement.chars()),
                None => next.push(*symbol),
            }
        }
        if next.len() > MAX_SYMBOLS {
            break;
        }
        symbols = next;
    }
    symbols
}

/// A turtle's segments for `symbols`: `F` draws forward, `+`/`-` turn by the angle (with a little
/// seeded jitter), `[`/`]` push and pop; each segment with its branch depth. Positions in fixed
/// point, unit steps.
fn walk(symbols: &[char], angle: i64, rng: &mut Rng) -> Vec<(i64, i64, i64, i64, usize)> {
    let (mut x, mut y, mut heading) = (0i64, 0i64, -90i64);
    let mut stack: Vec<(i64, i64, i64)> = Vec::new();
    let mut segments = Vec::new();
    for symbol in symbols {
        match symbol {
            'F' | 'G' => {
                let (nx, ny) = (x + cos(heading), y + sin(heading));
                segments.push((x, y, nx, ny, stack.len()));
                (x, y) = (nx, ny);
            }
            '+' => heading += angle + rng.range(-3, 3),
            '-' => heading -= angle + rng.range(-3, 3),
            '[' => stack.push((x, y, heading)),
            ']' => {
                if let Some(saved) = stack.pop() {
                    (x, y, heading) = saved;
                }
            }
            _ => {}
        }
    }
    segments
}

/// A plant grown from the look's L-system, scaled to fit, its branches coloured by depth and its
/// tips in leaf.
pub(crate) fn plant(canvas: &mut Canvas, rng: &mut Rng, look: &Look) {
    let (w, h) = (canvas.width(), canvas.height());
    let segments = walk(&grow(look), look.plant.angle, rng);
    if segments.is_empty() {
        return;
    }
    let (mut min_x, mut max_x, mut min_y, mut max_y) = (0i64, 0i64, 0i64, 0i64);
    for &(x0, y0, x1, y1, _) in &segments {
        min_x = min_x.min(x0).min(x1);
        max_x = max_x.max(x0).max(x1);
        min_y = min_y.min(y0).min(y1);
        max_y = max_y.max(y0).max(y1);
    }
    // Pixels per fixed-point unit, as a fraction: fit 86% of the canvas.
    let (span_x, span_y) = ((max_x - min_x).max(1), (max_y - min_y).max(1));
    let (num, den) =
        if (w * 86) * span_y <= (h * 86) * span_x { (w * 86, span_x * 100) } else { (h * 86, span_y * 100) };
    let offset_x = (w - (span_x * num / den)) / 2;
    let offset_y = (h - (span_y * num / den)) / 2;
    let place = |x: i64, y: i64| (offset_x + (x - min_x) * num / den, offset_y + (y - min_y) * num / den);
    let deepest = segments.iter().map(|s| s.4).max().unwrap_or(0).max(1) as i64;
    canvas.rect(0, h - h / 12, w, h, color(look, 0), 255);
    for &(x0, y0, x1, y1, depth) in &segments {
        let (ax, ay) = place(x0, y0);
        let (bx, by) = place(x1, y1);
        let trunk = lerp(color(look, 3), color(look, 2), depth as i64, deepest);
        let thickness = (i64::from(look.stroke) * (deepest + 1 - depth as i64) / deepest).max(1);
        canvas.line(ax, ay, bx, by, trunk, thickness, 230);
    }
    // Leaves where the deepest branches end.
    let leaf = (w.min(h) / 120).max(2);
    for (i, &(_, _, x1, y1, depth)) in segments.iter().enumerate() {
        let tip = segments.get(i + 1).is_none_or(|next| next.4 < depth);
        if tip && depth as i64 * 2 >= deepest && rng.chance(u64::from(look.density)) {
            let (x, y) = place(x1, y1);
            canvas.disc(x, y, leaf + rng.range(0, leaf), color(look, 4 + i % 3), 190);
        }
    }
}

/// Particles carried through a smooth field of directions, leaving translucent trails.
pub(crate) fn flow(canvas: &mut Canvas, rng: &mut Rng, look: &Look) {
    let (w, h) = (canvas.width(), canvas.height());
    let cell = (w.max(h) / 5).max(16);
    let (columns, rows) = (w / cell + 2, h / cell + 2);
    // A unit vector at each lattice point.
    let lattice: Vec<(i64, i64)> = (0..columns * rows)
        .map(|_| {
            let angle = rng.range(0, 359);
            (cos(angle), sin(angle))
        })
        .collect();
    let at =
        |cx: i64, cy: i64| lattice[(cy.clamp(0, rows - 1) * columns + cx.clamp(0, columns - 1)) as usize];
    // The field's direction at a pixel: the bilinear blend of its cell's four corners.
    let field = |x: i64, y: i64| {
        let (cx, cy) = (x.div_euclid(cell), y.div_euclid(cell));
        let (fx, fy) = (x.rem_euclid(cell), y.rem_euclid(cell));
        let blend = |a: (i64, i64), b: (i64, i64), t: i64| {
            (a.0 + (b.0 - a.0) * t / cell, a.1 + (b.1 - a.1) * t / cell)
        };
        let top = blend(at(cx, cy), at(cx + 1, cy), fx);
        let bottom = blend(at(cx, cy + 1), at(cx + 1, cy + 1), fx);
        blend(top, bottom, fy)
    };
    let particles = 40 + i64::from(look.density) * 8;
    let steps = 40 + w.max(h) / 6;
    let step = i64::from(look.stroke).max(1) + 1;
    for p in 0..particles {
        let ink = color(look, 1 + p as usize % (look.palette.len() - 1).max(1));
        let (mut x, mut y) = (rng.range(0, w - 1) * ONE, rng.range(0, h - 1) * ONE);
        for _ in 0..steps {
            let (vx, vy) = field(x / ONE, y / ONE);
            let length = (vx * vx + vy * vy).isqrt();
            if length == 0 {
                break;
            }
            let (nx, ny) = (x + vx * step * ONE / length, y + vy * step * ONE / length);
            canvas.line(x / ONE, y / ONE, nx / ONE, ny / ONE, ink, i64::from(look.stroke), 60);
            (x, y) = (nx, ny);
            if x < 0 || y < 0 || x >= w * ONE || y >= h * ONE {
                break;
            }
        }
    }
}
