export async function pushExport(_: unknown): Promise<number> {
  return 1;
}
