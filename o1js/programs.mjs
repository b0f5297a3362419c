// The two ZkPrograms the o1js comparison runs: x * x = y, and a recursive program whose every
// step verifies the previous proof.
export function programs({ ZkProgram, Field, SelfProof }) {
  const Square = ZkProgram({
    name: 'square',
    publicInput: Field,
    methods: {
      prove: {
        privateInputs: [Field],
        async method(y, x) {
          x.mul(x).assertEquals(y);
        },
      },
    },
  });

  const Recursive = ZkProgram({
    name: 'recursive',
    publicInput: Field,
    methods: {
      base: {
        privateInputs: [],
        async method(x) {
          x.assertEquals(Field(0));
        },
      },
      step: {
        privateInputs: [SelfProof],
        async method(x, previous) {
          previous.verify();
          x.assertEquals(previous.publicInput.add(1));
        },
      },
    },
  });

  return { Square, Recursive };
}

/**
 * The next proof of `program` (Square or Recursive from `programs`): x * x = y with x = 3; for
 * the recursive program its base first, then a step over `previous`.
 */
export async function proveNext({ Field }, { Square, Recursive }, program, previous) {
  if (program === Square) return (await Square.prove(Field(9), Field(3))).proof;
  if (!previous) return (await Recursive.base(Field(0))).proof;
  return (await Recursive.step(previous.publicInput.add(1), previous)).proof;
}
