fn main() -> std::process::ExitCode {
    rurume::cli::main()
}
