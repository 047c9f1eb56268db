//! Trustfill's web app entry point (Trunk builds this binary).

fn main() {
    trustfill_web::start();
}
