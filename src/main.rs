fn main() -> std::process::ExitCode {
    rurume::tune_allocator();
    rurume::cli::main()
}
