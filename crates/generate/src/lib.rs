//! Deterministic generative designs — building facades, Truchet tilings, L-system plants and flow
//! fields — rendered to PNG from a prompt, parameters and a model's style file. The same request
//! gives the same bytes on every machine: integer arithmetic only (sines from a table), a seeded
//! generator, and a PNG encoder with fixed settings at a pinned version. So a result can be
//! verified by running it again.
//!
//! - The **style file** (JSON, a blob whose hash the model records) is the model: its palette,
//!   background, how often it draws each design, its stroke and density, and its plant's rules. A
//!   fine-tune is another style file, so fine-tunes change outputs.
//! - The **parameters** (JSON, a blob whose hash the job carries): seed, size, and optionally the
//!   design.
//! - The **prompt** picks the design by its words (`facade`, `tiles`, `fern`, `river`, …), tints
//!   the palette by colour words (`red`, `golden`, `night`, …) and, with the seed and the style,
//!   seeds everything else.

#![deny(clippy::float_arithmetic)]

mod canvas;
mod designs;
mod rng;
mod trig;

use std::collections::BTreeMap;

use atelier_primitives::Hash;
use serde::{Deserialize, Serialize};

pub use canvas::Rgb;

/// The base procedural model's style file (`styles/atelier-base.json`), which dev chains register.
pub const BASE_STYLE: &[u8] = include_bytes!("../styles/atelier-base.json");
/// A fine-tune's style file (`styles/atelier-ink.json`): another palette, weights and grammar.
pub const INK_STYLE: &[u8] = include_bytes!("../styles/atelier-ink.json");

/// Largest side of an image, in pixels.
pub const MAX_SIDE: u32 = 2_048;
/// Smallest side of an image, in pixels.
pub const MIN_SIDE: u32 = 16;
/// Longest prompt read, in bytes.
pub const MAX_PROMPT_BYTES: usize = 4_096;

/// The designs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Design {
    /// A street of buildings, windows lit by the density.
    Facade,
    /// Truchet tiles of quarter-circle bands.
    Tiling,
    /// A plant grown by the style's L-system.
    Plant,
    /// Trails through a smooth field of directions.
    Flow,
}

impl Design {
    const ALL: [Design; 4] = [Design::Facade, Design::Tiling, Design::Plant, Design::Flow];

    /// The words of a prompt that ask for this design.
    fn words(self) -> &'static [&'static str] {
        match self {
            Design::Facade => {
                &["facade", "building", "buildings", "house", "houses", "street", "tower", "city", "windows"]
            }
            Design::Tiling => &["tile", "tiles", "tiling", "mosaic", "pattern", "truchet", "weave", "maze"],
            Design::Plant => {
                &["plant", "tree", "fern", "flower", "bush", "garden", "branch", "leaves", "forest"]
            }
            Design::Flow => &["flow", "river", "wind", "wave", "waves", "current", "storm", "hair", "smoke"],
        }
    }
}

/// How often the style draws each design, when the prompt does not say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    /// Facades.
    pub facade: u32,
    /// Tilings.
    pub tiling: u32,
    /// Plants.
    pub plant: u32,
    /// Flow fields.
    pub flow: u32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights { facade: 1, tiling: 1, plant: 1, flow: 1 }
    }
}

/// An L-system: an axiom, rewriting rules by symbol, the turning angle and the generations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlantRules {
    /// The start.
    pub axiom: String,
    /// What each symbol becomes in the next generation.
    pub rules: BTreeMap<char, String>,
    /// The turn of `+` and `-`, in degrees.
    pub angle: i64,
    /// Generations, 1 to 8 (the string stops growing before 60 000 symbols).
    pub iterations: u32,
}

impl Default for PlantRules {
    fn default() -> Self {
        PlantRules {
            axiom: "X".into(),
            rules: BTreeMap::from([('X', "F+[[X]-X]-F[-FX]+X".into()), ('F', "FF".into())]),
            angle: 25,
            iterations: 5,
        }
    }
}

/// A model's style file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Style {
    /// Its name.
    pub name: String,
    /// 2 to 16 colours, `#rrggbb`.
    pub palette: Vec<String>,
    /// The background's top and bottom colours.
    pub background: [String; 2],
    /// How often each design is drawn when the prompt does not say.
    #[serde(default)]
    pub weights: Weights,
    /// The plant's L-system.
    #[serde(default)]
    pub plant: PlantRules,
    /// Line width, 1 to 8 pixels.
    #[serde(default = "default_stroke")]
    pub stroke: u32,
    /// How busy a design is, 1 to 100 (lit windows, tile count, particles, leaves).
    #[serde(default = "default_density")]
    pub density: u32,
}

fn default_stroke() -> u32 {
    2
}

fn default_density() -> u32 {
    50
}

/// A job's parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// The seed: the same seed, prompt and style give the same image.
    #[serde(default)]
    pub seed: u64,
    /// Width in pixels.
    #[serde(default = "default_side")]
    pub width: u32,
    /// Height in pixels.
    #[serde(default = "default_side")]
    pub height: u32,
    /// The design, whatever the prompt says.
    #[serde(default)]
    pub design: Option<Design>,
}

fn default_side() -> u32 {
    512
}

impl Default for Params {
    fn default() -> Self {
        Params { seed: 0, width: default_side(), height: default_side(), design: None }
    }
}

/// Why a request cannot be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GenerateError {
    /// The style file is not a style.
    #[error("the style file is invalid: {0}")]
    Style(String),
    /// The parameters are not parameters.
    #[error("the parameters are invalid: {0}")]
    Params(String),
    /// The prompt is not text, or too long.
    #[error("the prompt is invalid: {0}")]
    Prompt(String),
}

/// A style, checked and ready to draw with.
#[derive(Debug, Clone)]
pub(crate) struct Look {
    pub(crate) palette: Vec<Rgb>,
    pub(crate) background: [Rgb; 2],
    pub(crate) weights: [u32; 4],
    pub(crate) plant: PlantRules,
    pub(crate) stroke: u32,
    pub(crate) density: u32,
}

impl Style {
    /// A style from its file's bytes.
    pub fn from_json(bytes: &[u8]) -> Result<Style, GenerateError> {
        let style: Style = serde_json::from_slice(bytes).map_err(|e| GenerateError::Style(e.to_string()))?;
        style.look()?;
        Ok(style)
    }

    fn look(&self) -> Result<Look, GenerateError> {
        let bad = |why: String| GenerateError::Style(why);
        let color =
            |text: &String| canvas::parse_color(text).ok_or_else(|| bad(format!("{text:?} is not #rrggbb")));
        if !(2..=16).contains(&self.palette.len()) {
            return Err(bad(format!("a palette has 2 to 16 colours, not {}", self.palette.len())));
        }
        if !(1..=8).contains(&self.stroke) || !(1..=100).contains(&self.density) {
            return Err(bad("stroke is 1 to 8 and density 1 to 100".into()));
        }
        if !(1..=8).contains(&self.plant.iterations) || !(1..=180).contains(&self.plant.angle) {
            return Err(bad("a plant grows 1 to 8 generations and turns 1 to 180 degrees".into()));
        }
        if self.plant.axiom.len() > 64 || self.plant.rules.values().any(|rule| rule.len() > 64) {
            return Err(bad("an axiom or a rule is at most 64 symbols".into()));
        }
        let w = &self.weights;
        Ok(Look {
            palette: self.palette.iter().map(color).collect::<Result<_, _>>()?,
            background: [color(&self.background[0])?, color(&self.background[1])?],
            weights: [w.facade, w.tiling, w.plant, w.flow],
            plant: self.plant.clone(),
            stroke: self.stroke,
            density: self.density,
        })
    }
}

impl Params {
    /// Parameters from their blob's bytes; none (an empty blob) gives the defaults.
    pub fn from_json(bytes: &[u8]) -> Result<Params, GenerateError> {
        if bytes.is_empty() {
            return Ok(Params::default());
        }
        let params: Params =
            serde_json::from_slice(bytes).map_err(|e| GenerateError::Params(e.to_string()))?;
        for side in [params.width, params.height] {
            if !(MIN_SIDE..=MAX_SIDE).contains(&side) {
                return Err(GenerateError::Params(format!(
                    "a side is {MIN_SIDE} to {MAX_SIDE} pixels, not {side}"
                )));
            }
        }
        Ok(params)
    }
}

/// Colour words and the colour each brings to the palette's front.
const COLOR_WORDS: [(&str, Rgb); 12] = [
    ("red", [0xd6, 0x45, 0x45]),
    ("crimson", [0xa8, 0x1c, 0x3a]),
    ("orange", [0xe9, 0x87, 0x3a]),
    ("gold", [0xe0, 0xb4, 0x3c]),
    ("golden", [0xe0, 0xb4, 0x3c]),
    ("yellow", [0xf2, 0xd3, 0x4f]),
    ("green", [0x3c, 0x9d, 0x5d]),
    ("blue", [0x3f, 0x6f, 0xd8]),
    ("purple", [0x8d, 0x5b, 0xd1]),
    ("pink", [0xe0, 0x7a, 0xa8]),
    ("white", [0xf2, 0xf2, 0xf2]),
    ("snow", [0xee, 0xf3, 0xf7]),
];

/// Renders the design `prompt` asks of a model with `style`, under `params`, as PNG bytes.
pub fn render(prompt: &str, params: &Params, style: &Style) -> Result<Vec<u8>, GenerateError> {
    if prompt.len() > MAX_PROMPT_BYTES {
        return Err(GenerateError::Prompt(format!("at most {MAX_PROMPT_BYTES} bytes, not {}", prompt.len())));
    }
    let mut look = style.look()?;
    let style_bytes = serde_json::to_vec(style).map_err(|e| GenerateError::Style(e.to_string()))?;
    let seed =
        Hash::digest("atelier/generate", &[prompt.as_bytes(), &params.seed.to_le_bytes(), &style_bytes]);
    let mut rng = rng::Rng::new(u64::from_le_bytes(seed.0[..8].try_into().unwrap_or_default()));
    let words: Vec<String> = prompt
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect();
    for (word, color) in COLOR_WORDS.iter().rev() {
        if words.iter().any(|w| w == word) {
            look.palette.insert(1, *color);
        }
    }
    if words.iter().any(|w| w == "night" || w == "dark") {
        look.background = [[0x0b, 0x0e, 0x1f], [0x1d, 0x22, 0x3d]];
    }
    let design = params.design.unwrap_or_else(|| {
        Design::ALL
            .into_iter()
            .find(|design| design.words().iter().any(|word| words.iter().any(|w| w == word)))
            .unwrap_or_else(|| Design::ALL[rng.weighted(&look.weights)])
    });
    let mut canvas = canvas::Canvas::new(params.width, params.height, look.background[0], look.background[1]);
    match design {
        Design::Facade => designs::facade(&mut canvas, &mut rng, &look),
        Design::Tiling => designs::tiling(&mut canvas, &mut rng, &look),
        Design::Plant => designs::plant(&mut canvas, &mut rng, &look),
        Design::Flow => designs::flow(&mut canvas, &mut rng, &look),
    }
    Ok(canvas.to_png())
}
