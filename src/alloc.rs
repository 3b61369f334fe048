//! The module's allocator: a small free-list allocator, zeroing every block before it is freed.
//!
//! Card numbers and security codes pass through many buffers the module does not name: the
//! strings wasm-bindgen copies in from `input.value`, the JSON the core writes as it grows, the request
//! body handed to `fetch`, the formatted text handed back. Wrapping each in a zeroising type would
//! miss the ones inside dependencies; zeroing at the allocator catches them all, so that once a
//! buffer is freed no copy of the card is left in `WebAssembly.Memory` for a later script (or a
//! crash dump) to read. The zeros are written by `zeroize`, whose volatile writes no optimiser may
//! drop as dead stores before a free. `lol_alloc`'s free list instead of the standard dlmalloc:
//! the module is single-threaded and short-lived, and the smaller allocator pays (BENCHMARKS.md).
//! Only the wasm build has this module.

use std::alloc::{GlobalAlloc, Layout};

use lol_alloc::{AssumeSingleThreaded, FreeListAllocator};
use zeroize::Zeroize;

/// [`FreeListAllocator`], zeroing each block before it is freed.
pub struct ZeroOnFree(AssumeSingleThreaded<FreeListAllocator>);

// SAFETY: every call is forwarded to the free list with the same arguments; `dealloc` first writes
// zeros over the block it is about to free, which the caller owns until the call returns.
unsafe impl GlobalAlloc for ZeroOnFree {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `layout` is the free list's.
        unsafe { self.0.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` is a live block of `layout.size()` bytes from `alloc`, the caller's until
        // this call returns, and nothing else refers to it now.
        let block = unsafe { std::slice::from_raw_parts_mut(ptr, layout.size()) };
        block.zeroize();
        // SAFETY: the same block and layout `alloc` gave.
        unsafe { self.0.dealloc(ptr, layout) }
    }

    // `realloc` is GlobalAlloc's default: a new block, a copy, then `dealloc` of the old one, so
    // a string that grows leaves no copy behind where it was.
}

// SAFETY: wasm32-unknown-unknown without the atomics feature has one thread: nothing else can
// call the allocator while it runs.
#[global_allocator]
static ALLOCATOR: ZeroOnFree = ZeroOnFree(unsafe { AssumeSingleThreaded::new(FreeListAllocator::new()) });
