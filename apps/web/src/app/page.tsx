export const dynamic = 'force-dynamic';

export default function Home() {
  return (
    <main style={{ maxWidth: 720, margin: '80px auto', padding: '0 24px' }}>
      <h1>Vigil</h1>
      <p>Data quality, drift and performance monitoring for every model in your workspace.</p>
    </main>
  );
}
