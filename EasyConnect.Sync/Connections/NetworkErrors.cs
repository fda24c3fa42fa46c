using System.Net.Sockets;
using System.Security.Authentication;

namespace EasyConnect.Sync.Connections;

/// <summary>
/// Words the network failures .NET reports in its own terms ("Name or service not known", "Connection refused",
/// "The SSL connection could not be established") as what an admin should check: the DNS name, the port, the certificate, a proxy.
/// </summary>
internal static class NetworkErrors
{
    /// <summary>What went wrong and what to check, as a sentence that follows "… could not be reached to do X: ".</summary>
    public static string Describe(HttpRequestException e, string address)
    {
        var socket = Find<SocketException>(e);
        if (e.HttpRequestError == HttpRequestError.NameResolutionError || socket?.SocketErrorCode is SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData)
        {
            return $"the name in the {address} was not found (DNS). Check the {address} for a typing error, and that this server can look up that name.";
        }

        if (e.HttpRequestError == HttpRequestError.SecureConnectionError || Find<AuthenticationException>(e) is not null)
        {
            return $"the secure (HTTPS) connection failed: the server's certificate is not trusted, has expired or is for another name. " +
                $"Check the {address} (the name must match the certificate), the server's certificate, and, when a proxy inspects HTTPS, that its certificate is trusted on this server.";
        }

        if (e.HttpRequestError == HttpRequestError.ProxyTunnelError)
        {
            return "the proxy refused to connect EasyConnect to it. Check the proxy settings (HTTPS_PROXY, NO_PROXY) and that the proxy allows the address.";
        }

        return socket?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused =>
                $"nothing is listening at that address and port (connection refused). Check the {address} and its port, and that the server is running.",
            SocketError.TimedOut =>
                $"the server did not accept the connection in time. Check the {address}, and that no firewall or proxy blocks the connection from EasyConnect.",
            SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostDown =>
                $"there is no network route to the server. Check the {address}, this server's network, and any firewall or proxy in between.",
            SocketError.ConnectionReset or SocketError.ConnectionAborted =>
                $"the server closed the connection without answering. Check the {address} (http or https, and the port), and that no firewall or proxy cuts the connection.",
            _ when e.HttpRequestError is HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse =>
                $"the server's answer was cut off or is not HTTP. Check the {address} (http or https, and the port), and that no firewall or proxy cuts the connection.",
            _ => $"the connection failed. Check the {address}, and that no firewall or proxy blocks the connection from EasyConnect.",
        };
    }

    private static T? Find<T>(Exception e)
        where T : Exception
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is T found)
            {
                return found;
            }
        }

        return null;
    }
}
