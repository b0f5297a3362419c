// The module's functions that run kimchi's parallel code (rayon): on a page's own thread, which
// may not block while the pool works, these are run by the host worker. Everything else o1js
// calls is quick and runs where it is called.
const PER_FIELD = [
  'caml_pasta_%_plonk_index_create',
  'caml_pasta_%_plonk_verifier_index_create',
  'caml_pasta_%_plonk_proof_create',
  'caml_pasta_%_plonk_proof_verify',
  'caml_pasta_%_plonk_proof_batch_verify',
  'caml_%_srs_create',
  'caml_%_srs_create_parallel',
  'caml_%_srs_get_lagrange_basis',
  'caml_%_srs_add_lagrange_basis',
  'caml_%_srs_lagrange_commitment',
  'caml_%_srs_lagrange_commitments_whole_domain_ptr',
  'caml_%_srs_commit_evaluations',
  'caml_%_srs_b_poly_commitment',
  'caml_%_srs_batch_accumulator_check',
  'caml_%_srs_batch_accumulator_generate',
  '%_oracles_create',
  // Reading a stored index may recompute parts of it.
  'caml_pasta_%_plonk_index_decode',
  'caml_pasta_%_plonk_index_read',
  'prover_index_%_deserialize',
  'caml_pasta_%_plonk_verifier_index_deserialize',
  'caml_pasta_%_plonk_verifier_index_read',
];

export const POOLED = Object.freeze(['fp', 'fq'].flatMap((f) => PER_FIELD.map((name) => name.replace('%', f))));
