export default function NetworkGraph({ customerId }: { customerId: string }) {
  return <div>{customerId}</div>;
}
