//! Sines and cosines of whole degrees in fixed point (`ONE` is 1.0), from a table: the same
//! integers on every machine, where floating point need not be.

/// 1.0 in the table's fixed point.
pub(crate) const ONE: i64 = 65_536;

/// `sin(d°) * 65 536`, rounded, for `d` in 0..=90.
const QUARTER: [i64; 91] = [
    0, 1144, 2287, 3430, 4572, 5712, 6850, 7987, 9121, 10252, 11380, 12505, 13626, 14742, 15855, 16962,
    18064, 19161, 20252, 21336, 22415, 23486, 24550, 25607, 26656, 27697, 28729, 29753, 30767, 31772, 32768,
    33754, 34729, 35693, 36647, 37590, 38521, 39441, 40348, 41243, 42126, 42995, 43852, 44695, 45525, 46341,
    47143, 47930, 48703, 49461, 50203, 50931, 51643, 52339, 53020, 53684, 54332, 54963, 55578, 56175, 56756,
    57319, 57865, 58393, 58903, 59396, 59870, 60326, 60764, 61183, 61584, 61966, 62328, 62672, 62997, 63303,
    63589, 63856, 64104, 64332, 64540, 64729, 64898, 65048, 65177, 65287, 65376, 65446, 65496, 65526, 65536,
];

/// `sin(degrees°)` in fixed point, for any whole number of degrees.
pub(crate) fn sin(degrees: i64) -> i64 {
    let d = degrees.rem_euclid(360) as usize;
    match d {
        0..=90 => QUARTER[d],
        91..=180 => QUARTER[180 - d],
        181..=270 => -QUARTER[d - 180],
        _ => -QUARTER[360 - d],
    }
}

/// `cos(degrees°)` in fixed point.
pub(crate) fn cos(degrees: i64) -> i64 {
    sin(degrees + 90)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_the_symmetries_of_the_sine() {
        assert_eq!((sin(0), sin(90), sin(180), sin(270)), (0, ONE, 0, -ONE));
        for d in -720..720 {
            assert_eq!(sin(d), -sin(-d), "odd at {d}");
            assert_eq!(sin(d), sin(d + 360), "periodic at {d}");
            let unit = sin(d) * sin(d) + cos(d) * cos(d);
            assert!((unit - ONE * ONE).abs() < 2 * ONE, "sin² + cos² = 1 at {d}");
        }
    }
}
