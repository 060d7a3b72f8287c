"""vn_congvan."""
