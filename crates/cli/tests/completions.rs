//! Shell completions: each shell's script is generated, and bash loads it and completes
//! `atelier` with it.

use std::process::Command;

#[test]
fn completion_scripts_are_generated_for_each_shell_and_bash_loads_its_own() {
    let atelier = env!("CARGO_BIN_EXE_atelier");
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = Command::new(atelier).args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains("genesis") && script.contains("broadcast"), "{shell} completes subcommands");
    }
    let loaded = Command::new("bash")
        .arg("-c")
        .arg(format!("source <('{atelier}' completions bash) && complete -p atelier"))
        .output()
        .unwrap();
    assert!(loaded.status.success(), "{}", String::from_utf8_lossy(&loaded.stderr));
    assert!(String::from_utf8_lossy(&loaded.stdout).contains("-F _atelier atelier"));
}
