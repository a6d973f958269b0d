//! Rendering is a function of (prompt, parameters, style): the same request gives the same bytes
//! (pinned here by their hash, so a change of arithmetic or encoder shows), another seed or a
//! fine-tune's style gives another image, and bad inputs are refused with their reason.

use atelier_generate::{Design, GenerateError, Params, Style, render};
use atelier_primitives::Hash;
use proptest::prelude::*;

fn style(name: &str) -> Style {
    let path = format!("{}/styles/{name}.json", env!("CARGO_MANIFEST_DIR"));
    Style::from_json(&std::fs::read(path).unwrap()).unwrap()
}

fn params(seed: u64, design: Option<Design>) -> Params {
    Params { seed, width: 96, height: 64, design }
}

/// The image's width and height, read back by a PNG decoder.
fn dimensions(png: &[u8]) -> (u32, u32) {
    let reader = png::Decoder::new(std::io::Cursor::new(png)).read_info().unwrap();
    (reader.info().width, reader.info().height)
}

#[test]
fn every_design_renders_a_png_of_the_asked_size() {
    for design in [Design::Facade, Design::Tiling, Design::Plant, Design::Flow] {
        let png = render("anything", &params(3, Some(design)), &style("atelier-base")).unwrap();
        assert_eq!(dimensions(&png), (96, 64), "{design:?}");
    }
}

#[test]
fn the_same_request_gives_the_same_bytes_pinned_by_their_hash() {
    let base = style("atelier-base");
    let first = render("a fern in the garden", &params(7, None), &base).unwrap();
    assert_eq!(first, render("a fern in the garden", &params(7, None), &base).unwrap());
    // Bit-identical on every machine: these hashes change only if rendering does.
    let pinned: Vec<String> = [Design::Facade, Design::Tiling, Design::Plant, Design::Flow]
        .into_iter()
        .map(|design| {
            Hash::blob(&render("a red fox at night", &params(1, Some(design)), &base).unwrap()).to_hex()
        })
        .collect();
    assert_eq!(pinned, PINNED);
}

const PINNED: [&str; 4] = [
    "87dd18cc488c7b217b7eb78dfcc7581ec4be9851e81c3043c791c513c4674ac7",
    "f7cfc7a6b27b796307da8a8b25da4378e51c26efd1ae1f64c34c57e5c271462b",
    "30fd26dc37768334fad116450198ddac88e037a4b696db01f36ebeb1f0244c49",
    "22e9e46d42773ccc1d1a221c009f3bc2c8c9bcd4eab50789d5669f335b6bd454",
];

#[test]
fn another_seed_prompt_or_fine_tune_gives_another_image() {
    let (base, ink) = (style("atelier-base"), style("atelier-ink"));
    let reference = render("a blue river", &params(1, None), &base).unwrap();
    assert_ne!(reference, render("a blue river", &params(2, None), &base).unwrap(), "seed");
    assert_ne!(reference, render("a green river", &params(1, None), &base).unwrap(), "prompt");
    assert_ne!(reference, render("a blue river", &params(1, None), &ink).unwrap(), "fine-tune");
}

#[test]
fn bad_styles_parameters_and_prompts_are_refused_with_their_reason() {
    let refused = |json: &str| Style::from_json(json.as_bytes()).unwrap_err();
    assert!(matches!(refused("{}"), GenerateError::Style(_)));
    let one_colour = r##"{"name":"x","palette":["#000000"],"background":["#000000","#ffffff"]}"##;
    assert!(refused(one_colour).to_string().contains("2 to 16 colours"));
    let bad_colour = r##"{"name":"x","palette":["#000000","red"],"background":["#000000","#ffffff"]}"##;
    assert!(refused(bad_colour).to_string().contains("\"red\" is not #rrggbb"));
    assert!(Params::from_json(br#"{"width": 4}"#).unwrap_err().to_string().contains("16 to 2048"));
    assert!(matches!(Params::from_json(b"not json"), Err(GenerateError::Params(_))));
    assert_eq!(Params::from_json(b"").unwrap(), Params::default());
    let long = "a".repeat(5_000);
    assert!(matches!(render(&long, &params(0, None), &style("atelier-base")), Err(GenerateError::Prompt(_))));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn any_seed_size_and_prompt_renders(seed in any::<u64>(), width in 16u32..80, height in 16u32..80, prompt in ".{0,40}") {
        let png = render(&prompt, &Params { seed, width, height, design: None }, &style("atelier-ink")).unwrap();
        prop_assert_eq!(dimensions(&png), (width, height));
    }
}
