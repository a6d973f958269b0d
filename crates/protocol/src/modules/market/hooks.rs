//! The market has no hooks: a listing expires by its height, which a purchase checks, and stays
//! until replaced or cancelled — no block's end walks the listings.
