//! Renders a prompt with a style file to a PNG: `cargo run -p atelier-generate --example render --
//! STYLE.json "a red fern" [SEED] > out.png`.

use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(style), Some(prompt)) = (args.next(), args.next()) else {
        return Err("usage: render STYLE.json PROMPT [SEED]".into());
    };
    let seed = args.next().map(|s| s.parse()).transpose()?.unwrap_or(0);
    let style = atelier_generate::Style::from_json(&std::fs::read(style)?)?;
    let params = atelier_generate::Params { seed, ..Default::default() };
    std::io::stdout().write_all(&atelier_generate::render(&prompt, &params, &style)?)?;
    Ok(())
}
