/**
 * One AWS client per region, made on first use and kept while the execution environment is warm. For
 * the resources that answer only in their own region, which the resource's name says (a KMS key ARN, a
 * user pool id), whatever AWS_REGION is: in practice one client per function.
 */
export function clientsPerRegion<Client>(create: (region: string) => Client): (region: string) => Client {
  const clients = new Map<string, Client>();
  return (region) => {
    let client = clients.get(region);
    if (client === undefined) {
      client = create(region);
      clients.set(region, client);
    }
    return client;
  };
}
