//! The module's allocator: the standard one, except that every block is zeroed when it is freed.
//!
//! Card numbers and security codes pass through many buffers the module does not name: the
//! strings wasm-bindgen copies in from `input.value`, the JSON the core writes as it grows, the request
//! body handed to `fetch`, the formatted text handed back. Wrapping each in a zeroising type would
//! miss the ones inside dependencies; zeroing at the allocator catches them all, so that once a
//! buffer is freed no copy of the card is left in `WebAssembly.Memory` for a later script (or a
//! crash dump) to read. Only the wasm build has this module.

use std::alloc::{GlobalAlloc, Layout, System};

/// [`System`] (dlmalloc on wasm32), zeroing each block before it is freed.
pub struct ZeroOnFree;

// SAFETY: every call is forwarded to `System` with the same arguments; `dealloc` first writes
// zeros over the block it is about to free, which the caller owns until the call returns.
unsafe impl GlobalAlloc for ZeroOnFree {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc`, passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` is a live block of `layout.size()` bytes from `alloc` (the caller's
        // contract), writable until it is freed below.
        unsafe { std::ptr::write_bytes(ptr, 0, layout.size()) };
        // The zeros are never read again, so the optimiser could drop them as dead stores before
        // a free; `black_box` makes the block look observed.
        std::hint::black_box(ptr);
        // SAFETY: the caller's contract for `dealloc`, passed on unchanged.
        unsafe { System.dealloc(ptr, layout) };
    }

    // `realloc` is GlobalAlloc's default: a new block, a copy, then `dealloc` of the old one, so
    // a string that grows leaves no copy behind where it was.
}

#[global_allocator]
static ALLOCATOR: ZeroOnFree = ZeroOnFree;
