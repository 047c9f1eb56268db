//! The encoder as a bare wasm module, for timing it in a JavaScript engine without the web app:
//! scripts/model/wasm_bench.sh builds this crate for wasm32 with simd128, loads it in Node,
//! and embeds the gold questions.

use std::sync::OnceLock;
use trustfill_semantic::SentenceEncoder;

static ENCODER: OnceLock<SentenceEncoder> = OnceLock::new();

/// Reserves `length` bytes for the caller to fill, and gives their address.
#[no_mangle]
pub extern "C" fn bench_alloc(length: usize) -> *mut u8 {
    let mut bytes = Vec::<u8>::with_capacity(length);
    let address = bytes.as_mut_ptr();
    std::mem::forget(bytes);
    address
}

/// Loads the encoder from asset bytes at `address`; gives 0 on success, 1 on failure.
///
/// # Safety
/// `address` holds `length` bytes written by the caller after [`bench_alloc`].
#[no_mangle]
pub unsafe extern "C" fn bench_load(address: *const u8, length: usize) -> u32 {
    // SAFETY: the caller wrote `length` bytes at `address`, which `bench_alloc` reserved.
    let bytes = unsafe { std::slice::from_raw_parts(address, length) };
    match SentenceEncoder::from_asset(bytes) {
        Ok(encoder) => u32::from(ENCODER.set(encoder).is_err()),
        Err(_) => 1,
    }
}

/// Embeds the newline-separated texts at `address` in batches of `batch`; gives the sum of
/// the embeddings' first values, so that the work cannot be optimised away.
///
/// # Safety
/// `address` holds `length` bytes of UTF-8 written by the caller after [`bench_alloc`].
#[no_mangle]
pub unsafe extern "C" fn bench_embed(address: *const u8, length: usize, batch: usize) -> f32 {
    // SAFETY: the caller wrote `length` bytes at `address`, which `bench_alloc` reserved.
    let bytes = unsafe { std::slice::from_raw_parts(address, length) };
    let (Some(encoder), Ok(text)) = (ENCODER.get(), std::str::from_utf8(bytes)) else {
        return f32::NAN;
    };
    let texts: Vec<&str> = text.lines().collect();
    texts.chunks(batch.max(1)).flat_map(|chunk| encoder.embed(chunk)).map(|embedding| embedding.as_slice()[0]).sum()
}
